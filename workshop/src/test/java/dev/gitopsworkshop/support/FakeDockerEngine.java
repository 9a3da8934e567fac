package dev.gitopsworkshop.support;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A stand-in for a Docker engine's Unix socket (no Docker runs on the test machines): every request
 * gets the same status line and JSON body, enough for {@code /_ping} and {@code /info}.
 */
public final class FakeDockerEngine implements AutoCloseable {
  private final ServerSocketChannel server;

  private FakeDockerEngine(ServerSocketChannel server) {
    this.server = server;
  }

  public static FakeDockerEngine serve(Path socket, String status, String body) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread t = new Thread(() -> {
      while (server.isOpen()) {
        try (SocketChannel ch = server.accept()) {
          ch.read(ByteBuffer.allocate(4096));
          String reply = "HTTP/1.0 " + status + "\r\nContent-Type: application/json\r\n\r\n" + body;
          ch.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
          return;
        }
      }
    }, "fake-docker");
    t.setDaemon(true);
    t.start();
    return new FakeDockerEngine(server);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
