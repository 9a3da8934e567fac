package dev.gitopsworkshop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The header deadline on a real Jetty server, with a deadline short enough for a test (the lab's is 10 s). */
class HeaderDeadlineTest {
  private static final Duration DEADLINE = Duration.ofMillis(600);
  private Server server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int read = req.getInputStream().readAllBytes().length;
        resp.setContentType("text/plain");
        resp.getWriter().write("read " + read);
      }
    }), "/*");
    server.setHandler(context);
    HeaderDeadline.install(server, "a test server", DEADLINE);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  /** Whether the server closed the connection: end of stream, or a reset when we write. */
  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(50);
      InputStream in = socket.getInputStream();
      try {
        return in.read() == -1;
      } catch (java.net.SocketTimeoutException e) {
        return false;
      }
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aHeaderDrippedAByteAtATimeIsCutOff() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      await("the server closes a connection whose header never ends").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            try {
              out.write("X: y\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException e) {
              return true;
            }
            return closedByServer(socket);
          });
      assertTrue(System.nanoTime() - start >= DEADLINE.toNanos(), "not before the deadline");
    }
  }

  @Test
  void aConnectionThatSaysNothingIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      await("the server closes a silent connection").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .until(() -> closedByServer(socket));
    }
  }

  @Test
  void aSlowBodyAfterAWholeHeaderTakesTheTimeItNeeds() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long until = System.nanoTime() + 3 * DEADLINE.toNanos();
      for (int i = 0; i < 6; i++) {
        slowClient(DEADLINE.dividedBy(2));
        out.write('b');
        out.flush();
      }
      assertTrue(System.nanoTime() > until, "the body took longer than the header deadline");
      socket.setSoTimeout(5000);
      String response = readResponse(socket.getInputStream(), "read 6");
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }
  }

  @Test
  void aKeptAliveConnectionMayWaitBetweenRequests() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int i = 0; i < 2; i++) {
        out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = readResponse(in, "read 0");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        if (i == 0) {
          slowClient(DEADLINE.multipliedBy(3));
        }
      }
      assertEquals(false, closedByServer(socket));
    }
  }

  /** The pace of a slow client (what is tested is that the server lets it be), not a wait for a condition. */
  private static void slowClient(Duration pause) throws InterruptedException {
    Thread.sleep(pause.toMillis());
  }

  private static String readResponse(InputStream in, String end) throws IOException {
    StringBuilder text = new StringBuilder();
    while (!text.toString().endsWith(end)) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      text.append((char) c);
    }
    return text.toString();
  }
}
