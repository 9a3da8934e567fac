package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded cluster's Kubernetes API over plain HTTP, enough for the real kubectl and for
 * client libraries: discovery, OpenAPI (minimal), CRUD with selectors, patches, server-side
 * apply, status/scale/log subresources, watches and Tables.
 *
 * <p>It speaks HTTPS with a self-signed certificate made at start ({@link #certificatePem()}):
 * kubectl sends a kubeconfig's token only over TLS. {@link #writeKubeconfig(Path)} writes a
 * kubeconfig that trusts exactly that certificate.
 *
 * <p>Every request, including {@code /healthz}, {@code /readyz} and {@code /livez}, needs
 * {@code Authorization: Bearer <token>}, like a cluster without anonymous access; anything else
 * gets a 401 Status.
 */
public final class ApiServer implements AutoCloseable {
  /** kube-apiserver's request body limit. */
  static final int MAX_BODY = 3 * 1024 * 1024;
  /** How much of a too large body is read and dropped before answering 413. */
  private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

  private final Server server;
  private final String url;
  private final int port;
  private final String token;
  private final SelfSignedCertificate certificate;
  private final ApiServlet servlet;

  private ApiServer(Server server, ApiServlet servlet, String host, int port, String token,
      SelfSignedCertificate certificate) {
    this.server = server;
    this.servlet = servlet;
    this.port = port;
    this.token = token;
    this.certificate = certificate;
    String shown = host.equals("0.0.0.0") || host.isEmpty() ? "127.0.0.1" : host;
    this.url = "https://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port;
  }

  public static ApiServer start(
      ResourceStore store, ResourceTypes types, String token, String bindAddress, int port) {
    QueuedThreadPool threads = new QueuedThreadPool(400, 8);
    threads.setName("api-server");
    threads.setDaemon(true);
    Server server = new Server(threads);
    SelfSignedCertificate certificate = SelfSignedCertificate.create(bindAddress);
    char[] password = NameSuffix.random(16).toCharArray();
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(certificate.keyStore(password));
    tls.setKeyStorePassword(new String(password));
    HttpConfiguration https = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    https.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(
        server, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    connector.setHost(bindAddress);
    connector.setPort(port);
    connector.setIdleTimeout(3_600_000);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ApiServlet servlet = new ApiServlet(store, types, token);
    context.addServlet(new ServletHolder(servlet), "/*");
    server.setHandler(context);
    server.setStopTimeout(0);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // already failing
      }
      throw new IllegalStateException(
          "the embedded API server could not listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
    }
    return new ApiServer(server, servlet, bindAddress, connector.getLocalPort(), token, certificate);
  }

  /** {@code https://HOST:PORT}. */
  public String url() {
    return url;
  }

  /** The server's self-signed certificate (PEM), the one certificate authority clients need. */
  public String certificatePem() {
    return certificate.pem();
  }

  /** Writes a kubeconfig (context {@code workshop}) for this server, trusting its certificate. */
  public void writeKubeconfig(Path file) throws IOException {
    Kubeconfig.write(file, url, token, certificatePem());
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    servlet.watches.closeAll();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the embedded API server did not stop: " + e, e);
    }
  }

  /** A Status object as kube-apiserver answers errors. */
  static ObjectNode status(ApiException e) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", e.getMessage());
    s.put("reason", e.reason());
    if (e.name() != null || e.kind() != null || !e.causes().isEmpty()) {
      ObjectNode details = s.putObject("details");
      if (e.name() != null) {
        details.put("name", e.name());
      }
      if (e.kind() != null) {
        details.put("kind", e.kind());
      }
      if (!e.causes().isEmpty()) {
        var causes = details.putArray("causes");
        for (ApiException.Cause c : e.causes()) {
          ObjectNode cause = causes.addObject();
          cause.put("reason", c.reason());
          cause.put("message", c.message());
          cause.put("field", c.field());
        }
      }
    }
    s.put("code", e.code());
    return s;
  }

  private static final class ApiServlet extends HttpServlet {
    private final byte[] token;
    private final ResourceTypes types;
    private final Discovery discovery;
    private final OpenApi openApi;
    private final ResourceHandler resources;
    private final WatchStream watches;

    ApiServlet(ResourceStore store, ResourceTypes types, String token) {
      this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
      this.types = types;
      this.discovery = new Discovery(types);
      this.openApi = new OpenApi(types);
      this.resources = new ResourceHandler(store, types);
      this.watches = new WatchStream(store);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      try {
        if (!authorized(request)) {
          throw new ApiException(401, "Unauthorized", "Unauthorized");
        }
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
          declineWebSocket(response);
          return;
        }
        route(request, response);
      } catch (ApiException e) {
        send(response, e.code(), status(e));
      } catch (RuntimeException e) {
        send(response, 500, status(new ApiException(500, "InternalError",
            "Internal error occurred: " + e.getClass().getSimpleName() + ": " + e.getMessage())));
      }
    }

    /**
     * Watches are served as HTTP streams only. A WebSocket upgrade (the fabric8 client tries one
     * first) gets a plain, empty 200, on which fabric8 repeats the watch as a streaming GET.
     */
    private static void declineWebSocket(HttpServletResponse response) {
      response.setStatus(200);
      response.setContentType("application/json");
      response.setContentLength(0);
    }

    private boolean authorized(HttpServletRequest request) {
      String header = request.getHeader("Authorization");
      return header != null && MessageDigest.isEqual(token, header.trim().getBytes(StandardCharsets.UTF_8));
    }

    private void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String path = request.getRequestURI();
      String method = request.getMethod();
      if (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (method.equals("GET") && path.equals("/openapi/v2") && accepts(request, "protobuf")) {
        byte[] doc = OpenApi.swaggerProtobuf();
        response.setStatus(200);
        response.setContentType(OpenApi.SWAGGER_PROTOBUF);
        response.setContentLength(doc.length);
        response.getOutputStream().write(doc);
        return;
      }
      JsonNode doc = method.equals("GET") ? document(path, request) : null;
      if (doc != null) {
        send(response, 200, doc);
        return;
      }
      if (method.equals("GET") && (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez"))) {
        sendText(response, "ok");
        return;
      }
      ApiRequest req = ApiRequest.parse(method, path, request.getQueryString(),
          request.getContentType(), request.getHeader("Accept"));
      if (req == null) {
        throw ApiException.notFound("the server could not find the requested resource");
      }
      ResourceType type = resources.type(req);
      if (req.isWatch() && method.equals("GET") && req.name() == null) {
        watches.serve(req, type, ResourceHandler.filter(req), () -> openStream(response));
        return;
      }
      if (req.isWatch() && method.equals("GET")) {
        String byName = "metadata.name=" + req.name();
        String fs = req.param("fieldSelector");
        req.query().put("fieldSelector", fs == null || fs.isEmpty() ? byName : fs + "," + byName);
        ApiRequest collection = new ApiRequest(req.method(), req.group(), req.version(), req.namespace(),
            req.resource(), null, null, req.query(), req.contentType(), req.accept());
        watches.serve(collection, type, ResourceHandler.filter(collection), () -> openStream(response));
        return;
      }
      byte[] body = body(request);
      if (req.contentType().startsWith(Protobuf.CONTENT_TYPE) && (method.equals("POST") || method.equals("PUT"))) {
        body = Json.bytes(Protobuf.decode(body));
        req = req.withContentType("application/json");
      }
      Reply reply = resources.handle(req, type, body);
      if (reply.text() != null) {
        sendText(response, reply.text());
      } else {
        send(response, reply.status(), reply.body());
      }
    }

    /** Discovery, version and OpenAPI documents; null when the path is none of them. */
    private JsonNode document(String path, HttpServletRequest request) {
      switch (path) {
        case "/version":
          return Discovery.version();
        case "/api":
          return discovery.coreVersions(request.getLocalAddr() + ":" + request.getLocalPort());
        case "/apis":
          return discovery.groups();
        case "/openapi/v3":
          return openApi.root();
        default:
          break;
      }
      if (path.equals("/openapi/v2")) {
        return OpenApi.swagger();
      }
      if (path.startsWith("/openapi/v3/")) {
        ObjectNode doc = openApi.groupVersion(path.substring("/openapi/v3/".length()));
        if (doc == null) {
          throw ApiException.notFound("the server could not find the requested resource");
        }
        return doc;
      }
      String[] parts = path.substring(1).split("/");
      if (parts.length == 2 && parts[0].equals("api")) {
        return orNotFound(discovery.resources("", parts[1]));
      }
      if (parts.length == 2 && parts[0].equals("apis")) {
        return orNotFound(discovery.group(parts[1]));
      }
      if (parts.length == 3 && parts[0].equals("apis")) {
        return orNotFound(discovery.resources(parts[1], parts[2]));
      }
      return null;
    }

    private static boolean accepts(HttpServletRequest request, String what) {
      String accept = request.getHeader("Accept");
      return accept != null && accept.contains(what);
    }

    private static JsonNode orNotFound(JsonNode doc) {
      if (doc == null) {
        throw ApiException.notFound("the server could not find the requested resource");
      }
      return doc;
    }

    private static byte[] body(HttpServletRequest request) throws IOException {
      try (InputStream in = request.getInputStream()) {
        byte[] data = in.readNBytes(MAX_BODY + 1);
        if (data.length > MAX_BODY) {
          // read on (up to a bound) so that the client sees the 413 rather than a broken pipe
          long skipped = 0;
          byte[] sink = new byte[64 * 1024];
          int n;
          while (skipped < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
            skipped += n;
          }
          throw tooLarge();
        }
        return data;
      }
    }

    private static ApiException tooLarge() {
      return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + MAX_BODY);
    }

    private static OutputStream openStream(HttpServletResponse response) throws IOException {
      response.setStatus(200);
      response.setContentType("application/json");
      response.setHeader("Transfer-Encoding", "chunked");
      response.setHeader("Cache-Control", "no-cache, private");
      OutputStream out = response.getOutputStream();
      response.flushBuffer();
      return out;
    }

    private static void send(HttpServletResponse response, int code, JsonNode body) throws IOException {
      if (response.isCommitted()) {
        return;
      }
      byte[] bytes = Json.bytes(body);
      response.setStatus(code);
      response.setContentType("application/json");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }

    private static void sendText(HttpServletResponse response, String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      response.setStatus(200);
      response.setContentType("text/plain;charset=utf-8");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }
}
