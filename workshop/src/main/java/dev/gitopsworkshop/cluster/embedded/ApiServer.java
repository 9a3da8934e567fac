package dev.gitopsworkshop.cluster.embedded;

import dev.gitopsworkshop.JettyStart;
import java.util.Comparator;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded cluster's Kubernetes API server: HTTPS on loopback with a self-signed certificate, a
 * bearer token required on every request, the REST surface in {@link ApiServlet}.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private final Server server;
  private final ApiServlet servlet;
  private final int port;
  private final String host;

  private ApiServer(Server server, ApiServlet servlet, String host, int port) {
    this.server = server;
    this.servlet = servlet;
    this.host = host;
    this.port = port;
  }

  public static ApiServer start(
      ResourceStore store, ResourceTypes types, String token, String bindAddress, int port, TlsIdentity tls) {
    return start(store, types, new NodeRuntime(), token, bindAddress, port, tls);
  }

  /** An API server that answers logs and port-forwards from what {@code node}'s kubelet runs. */
  public static ApiServer start(ResourceStore store, ResourceTypes types, NodeRuntime node, String token,
      String bindAddress, int port, TlsIdentity tls) {
    QueuedThreadPool threads = new QueuedThreadPool(400, 8);
    threads.setName("api-server");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setOutputBufferSize(16 * 1024);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(tls.keystore().toString());
    ssl.setKeyStorePassword(tls.password());
    ssl.setKeyStoreType("PKCS12");
    // ChaCha20-Poly1305 first (the server's order decides): the lab's JVM compiles with C1 alone,
    // which has no AES-GCM intrinsics, and in plain Java ChaCha20-Poly1305 is three to four times
    // quicker than AES-GCM (measured); every TLS 1.3 client offers it (kubectl's Go, the JDK's)
    ssl.setCipherComparator(Comparator.comparing((String suite) -> !suite.contains("_CHACHA20_")));
    ServerConnector connector =
        new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(bindAddress);
    connector.setPort(port);
    connector.setAcceptQueueSize(256);
    server.addConnector(connector);
    ApiServlet servlet = new ApiServlet(store, types, node, token);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(servlet), "/*");
    server.setHandler(context);
    server.setStopTimeout(1000);
    JettyStart.start(server, "the cluster's API server", "port " + port + " is already in use, so the cluster's API server cannot start",
        "stop what uses it, or start the lab with another --api-port");
    return new ApiServer(server, servlet, bindAddress, connector.getLocalPort());
  }

  public int port() {
    return port;
  }

  public String url() {
    return "https://" + host + ":" + port;
  }

  @Override
  public void close() {
    servlet.stop();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("the API server did not stop cleanly", e);
    }
  }
}
