package dev.gitopsworkshop.console;

import dev.gitopsworkshop.JettyStart;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's own web door on loopback, beside the Git server and the cluster's API: pages for a
 * room (read-only, open to anyone on this machine) and control endpoints for the lab's commands
 * (they need the token lab.json holds, as {@code Authorization: Bearer <token>}). Its URL and
 * token are in lab.json under {@code console}; the port is kept per data dir so a projector's
 * bookmark survives a restart.
 */
public final class LabConsole implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LabConsole.class);
  private static final String PORT_FILE = "console-port";
  private final Server server;
  private final String url;
  private final String token;
  private final Map<String, Route> routes = new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a));

  private record Route(HttpServlet servlet, boolean control) {}

  private LabConsole(Server server, String url, String token) {
    this.server = server;
    this.url = url;
    this.token = token;
  }

  /** Starts on 127.0.0.1, on the port this data dir used last time when it is free, else any. */
  public static LabConsole start(DataDir dataDir) {
    Path portFile = dataDir.resolve(PORT_FILE);
    int remembered = rememberedPort(portFile);
    try {
      return startOn(dataDir, remembered);
    } catch (WorkshopException e) {
      if (remembered == 0) {
        throw e;
      }
      return startOn(dataDir, 0);
    }
  }

  private static LabConsole startOn(DataDir dataDir, int port) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("lab-console");
    threads.setDaemon(true);
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    server.setHandler(context);
    server.setStopTimeout(1000);
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    JettyStart.start(server, "the lab console", "port " + port + " is in use, so the lab console cannot start", null);
    int actual = connector.getLocalPort();
    try {
      Files.writeString(dataDir.resolve(PORT_FILE), Integer.toString(actual), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warn("cannot remember the console's port in {} (a different port next time)", dataDir.resolve(PORT_FILE), e);
    }
    LabConsole console = new LabConsole(server, "http://127.0.0.1:" + actual, token);
    context.addServlet(new ServletHolder(console.new Dispatcher()), "/*");
    return console;
  }

  private static int rememberedPort(Path portFile) {
    try {
      return Files.exists(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** The base URL, without a trailing slash: {@code http://127.0.0.1:PORT}. */
  public String url() {
    return url;
  }

  /** What a control request must carry as {@code Authorization: Bearer <token>}. */
  public String token() {
    return token;
  }

  /** Serves {@code prefix} (and everything below it) to anyone on this machine: pages, their data. */
  public void page(String prefix, HttpServlet servlet) {
    routes.put(normalise(prefix), new Route(servlet, false));
  }

  /** Serves {@code prefix} only to requests that carry the token: what changes the lab. */
  public void control(String prefix, HttpServlet servlet) {
    routes.put(normalise(prefix), new Route(servlet, true));
  }

  private static String normalise(String prefix) {
    if (!prefix.startsWith("/")) {
      throw new IllegalArgumentException("a route starts with /: " + prefix);
    }
    return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("the lab console did not stop cleanly", e);
    }
  }

  /** Longest matching prefix wins; the routes map is sorted so that it comes first. */
  private final class Dispatcher extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String path = req.getRequestURI();
      for (Map.Entry<String, Route> e : routes.entrySet()) {
        String prefix = e.getKey();
        boolean matches = path.equals(prefix) || prefix.equals("/") || path.startsWith(prefix + "/");
        if (!matches) {
          continue;
        }
        if (e.getValue().control() && !authorised(req)) {
          resp.setHeader("WWW-Authenticate", "Bearer realm=\"workshop lab\"");
          resp.sendError(401, "this endpoint needs the lab's console token (lab.json: console.token)");
          return;
        }
        try {
          e.getValue().servlet().service(req, resp);
        } catch (jakarta.servlet.ServletException ex) {
          throw new IOException(ex);
        }
        return;
      }
      resp.sendError(404, "nothing here: see " + url + "/");
    }

    private boolean authorised(HttpServletRequest req) {
      String header = req.getHeader("Authorization");
      if (header == null || !header.startsWith("Bearer ")) {
        return false;
      }
      byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }
  }
}
