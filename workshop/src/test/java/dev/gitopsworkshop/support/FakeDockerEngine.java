package dev.gitopsworkshop.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for a Docker engine's Unix socket (no Docker runs on the test machines). Either every
 * request gets the same status line and JSON body (enough for {@code /_ping} and {@code /info}), or
 * a function answers each request line ({@code "GET /v1.44/images/x/json HTTP/1.1"}); the request
 * lines are kept for assertions. Replies are HTTP/1.0 and close the connection.
 */
public final class FakeDockerEngine implements AutoCloseable {
  /** One reply: status ("200 OK") and body. */
  public record Reply(String status, String body) {}

  private final ServerSocketChannel server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private FakeDockerEngine(ServerSocketChannel server) {
    this.server = server;
  }

  public static FakeDockerEngine serve(Path socket, String status, String body) throws IOException {
    return serve(socket, requestLine -> new Reply(status, body));
  }

  public static FakeDockerEngine serve(Path socket, Function<String, Reply> replies) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    FakeDockerEngine engine = new FakeDockerEngine(server);
    Thread t = new Thread(() -> {
      while (server.isOpen()) {
        try (SocketChannel ch = server.accept()) {
          String line = readRequestLine(ch);
          engine.requests.add(line);
          Reply r = replies.apply(line);
          String reply = "HTTP/1.0 " + r.status() + "\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + r.body();
          ch.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
          return;
        }
      }
    }, "fake-docker");
    t.setDaemon(true);
    t.start();
    return engine;
  }

  /** Reads up to the end of the request's headers; a body (none in what the tests send) is not read. */
  private static String readRequestLine(SocketChannel ch) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && ch.read(buf) > 0) {
      head.write(buf.array(), 0, buf.position());
      buf.clear();
    }
    return head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
  }

  /** The request lines received, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The address a Docker client is given for this engine. */
  public static URI host(Path socket) {
    return URI.create("unix://" + socket.toAbsolutePath());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
