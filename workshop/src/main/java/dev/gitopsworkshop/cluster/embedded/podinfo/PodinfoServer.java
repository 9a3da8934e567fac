package dev.gitopsworkshop.cluster.embedded.podinfo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loopback HTTP server for every podinfo stand-in of the node (a server per pod would cost a
 * thread and a port each). A forwarded connection is opened here and told apart by its client
 * port: {@link #connect} records which stand-in and which of its ports the connection reaches
 * before any byte is sent, so the HTTP engine parses the client's requests as they come and each
 * is answered by the stand-in of its pod.
 */
public final class PodinfoServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodinfoServer.class);
  private final Map<Integer, Route> routes = new ConcurrentHashMap<>();
  private HttpServer server;
  private ExecutorService executor;

  private record Route(PodinfoStandIn standIn, int port) {}

  /** A connection to a stand-in's port; close it to end it. */
  public final class Connection implements AutoCloseable {
    private final Socket socket;
    private final int key;

    private Connection(Socket socket) {
      this.socket = socket;
      this.key = socket.getLocalPort();
    }

    public Socket socket() {
      return socket;
    }

    @Override
    public void close() {
      routes.remove(key);
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing a forwarded connection: {}", e.toString());
      }
    }
  }

  /** How many forwarded connections are open now. */
  public int openConnections() {
    return routes.size();
  }

  /** Opens a connection that reaches {@code standIn} on {@code port}. */
  public Connection connect(PodinfoStandIn standIn, int port) throws IOException {
    InetSocketAddress address = address();
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(address.getAddress(), 0));
    routes.put(socket.getLocalPort(), new Route(standIn, port));
    try {
      socket.connect(address, 5000);
    } catch (IOException e) {
      routes.remove(socket.getLocalPort());
      socket.close();
      throw e;
    }
    return new Connection(socket);
  }

  private synchronized InetSocketAddress address() throws IOException {
    if (server == null) {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "podinfo-stand-in");
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      server.createContext("/", this::handle);
      server.start();
    }
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Route route = routes.get(exchange.getRemoteAddress().getPort());
      if (route == null) {
        LOG.warn("a connection to the podinfo stand-ins that no port-forward opened (from port {})", exchange.getRemoteAddress().getPort());
        exchange.sendResponseHeaders(421, -1);
        return;
      }
      PodinfoStandIn.Response r = route.standIn().handle(route.port(), exchange.getRequestMethod(),
          exchange.getRequestURI().toString(), exchange.getRequestHeaders());
      exchange.getResponseHeaders().set("Content-Type", r.contentType());
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(r.status(), head || r.body().length == 0 ? -1 : r.body().length);
      if (!head && r.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(r.body());
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
    routes.clear();
  }
}
