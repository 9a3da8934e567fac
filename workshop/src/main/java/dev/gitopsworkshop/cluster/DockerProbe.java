package dev.gitopsworkshop.cluster;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a Docker engine answers on this machine, asked the cheap way: {@code GET /_ping} on the
 * engine's Unix socket (or {@code DOCKER_HOST} when it names one). A client without an engine, a
 * missing socket or a refused connection all mean no.
 */
public final class DockerProbe {
  private DockerProbe() {}

  public record Answer(boolean available, String reason) {}

  public static Answer ask() {
    String host = System.getenv("DOCKER_HOST");
    Path socket;
    if (host != null && host.startsWith("unix://")) {
      socket = Path.of(host.substring("unix://".length()));
    } else if (host != null && !host.isBlank()) {
      return new Answer(false, "DOCKER_HOST=" + host + " is not a Unix socket this probe can ask");
    } else {
      socket = Path.of("/var/run/docker.sock");
    }
    if (!Files.exists(socket)) {
      return new Answer(false, "no Docker engine (" + socket + " does not exist)");
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(256);
      ch.read(buf);
      String reply = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
      return reply.contains(" 200 ")
          ? new Answer(true, "Docker answers on " + socket)
          : new Answer(false, "Docker at " + socket + " answered: " + reply.lines().findFirst().orElse(""));
    } catch (IOException e) {
      return new Answer(false, "no Docker engine answers on " + socket + " (" + e.getMessage() + ")");
    }
  }
}
