package dev.gitopsworkshop.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.lab.DataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <data-dir>/git-server.json}: the port and base URL the Git server used last, so that a
 * restart (or a room command run while it is stopped) gives the same URLs.
 */
public record ServerState(int port, String baseUrl) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path file(DataDir dir) {
    return dir.resolve("git-server.json");
  }

  /** What was saved, or null on first use (or when the file is unreadable). */
  public static ServerState load(DataDir dir) {
    try {
      JsonNode node = JSON.readTree(Files.readString(file(dir)));
      int port = node.path("port").asInt(0);
      String baseUrl = node.path("baseUrl").asText(null);
      return port > 0 && baseUrl != null ? new ServerState(port, baseUrl) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** What was saved, or a free loopback port chosen now and saved. */
  public static ServerState loadOrAllocate(DataDir dir) {
    ServerState saved = load(dir);
    if (saved != null) {
      return saved;
    }
    int port = freePort();
    ServerState chosen = new ServerState(port, baseUrl("127.0.0.1", port));
    chosen.save(dir);
    return chosen;
  }

  public void save(DataDir dir) {
    try {
      String text =
          JSON.createObjectNode().put("port", port).put("baseUrl", baseUrl).toPrettyString();
      DataDir.writeAtomically(file(dir), text + "\n", false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The URL clients use for a server bound to {@code bind}: the address itself, or for a wildcard
   * bind (serving a room) this machine's first non-loopback address.
   */
  public static String baseUrl(String bind, int port) {
    String host = bind;
    try {
      InetAddress address = InetAddress.getByName(bind);
      if (address.isAnyLocalAddress()) {
        host = RoomAddress.find();
      }
    } catch (IOException e) {
      // keep the name as given
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
