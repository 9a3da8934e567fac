package dev.gitopsworkshop.cluster;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Whether a Docker engine answers on this machine, asked the cheap way: {@code GET /_ping} on the
 * engine's Unix socket (or {@code DOCKER_HOST} when it names one). A client without an engine, a
 * missing socket or a refused connection all mean no. The reason is a short fact ("/var/run/docker.sock
 * does not exist") for a sentence around it.
 */
public final class DockerProbe {
  private DockerProbe() {}

  public record Answer(boolean available, String reason) {}

  public static Answer ask() {
    Path socket;
    try {
      socket = socket();
    } catch (IllegalStateException e) {
      return new Answer(false, e.getMessage());
    }
    return ask(socket);
  }

  static Answer ask(Path socket) {
    if (!Files.exists(socket)) {
      return new Answer(false, socket + " does not exist");
    }
    try {
      String reply = get(socket, "/_ping");
      return reply.contains(" 200 ")
          ? new Answer(true, "Docker answers on " + socket)
          : new Answer(false, "Docker at " + socket + " answered: " + reply.lines().findFirst().orElse(""));
    } catch (IOException e) {
      return new Answer(false, "nothing answers on " + socket + ": " + e.getMessage());
    }
  }

  /** The engine's memory ({@code MemTotal} of {@code GET /info}), when it answers. */
  public static OptionalLong memTotal() {
    try {
      return memTotal(socket());
    } catch (IllegalStateException e) {
      return OptionalLong.empty();
    }
  }

  static OptionalLong memTotal(Path socket) {
    try {
      String reply = get(socket, "/info");
      int body = reply.indexOf("\r\n\r\n");
      JsonNode info = Mappers.JSON.readTree(reply.substring(body + 4));
      return info.has("MemTotal") ? OptionalLong.of(info.get("MemTotal").asLong()) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static Path socket() {
    String host = System.getenv("DOCKER_HOST");
    if (host != null && host.startsWith("unix://")) {
      return Path.of(host.substring("unix://".length()));
    } else if (host != null && !host.isBlank()) {
      throw new IllegalStateException("DOCKER_HOST=" + host + " is not a Unix socket this probe can ask");
    }
    return Path.of("/var/run/docker.sock");
  }

  /** A plain HTTP/1.0 GET on the socket: the whole reply, headers and body. */
  private static String get(Path socket, String path) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (ch.read(buf) > 0) {
        reply.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      return reply.toString(StandardCharsets.UTF_8);
    }
  }
}
