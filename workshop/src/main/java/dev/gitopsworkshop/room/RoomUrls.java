package dev.gitopsworkshop.room;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's address: {@code http://host:port/}, as participants type it after {@code --room}
 * (also accepted with {@code room} at the end, as the board's address reads), remembered in the
 * room's data dir so that {@code room list} prints the same join lines while the room is down.
 */
public final class RoomUrls {
  private static final Logger LOG = LoggerFactory.getLogger(RoomUrls.class);
  private static final String FILE = "room-url";

  private RoomUrls() {}

  /** {@code http://host:port/} from what a person typed; a usage error naming what is wrong. */
  public static String normalise(String typed) {
    URI uri;
    try {
      uri = new URI(typed.strip());
    } catch (URISyntaxException e) {
      throw WorkshopException.usage("'" + typed + "' is not a room's address", "it looks like http://HOST:PORT/ (what 'room list' prints)");
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
      throw WorkshopException.usage("'" + typed + "' is not a room's address", "it looks like http://HOST:PORT/ (what 'room list' prints)");
    }
    if (uri.getRawUserInfo() != null) {
      throw WorkshopException.usage("a room's address carries no name or password",
          "give them with --name and --password, and the address as http://HOST:PORT/");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    if (path.endsWith("/room")) {
      path = path.substring(0, path.length() - "/room".length());
    }
    return uri.getScheme() + "://" + uri.getRawAuthority() + path + "/";
  }

  /** Where a room bound to {@code bind} is reached from the other laptops. */
  static String advertised(String bind, int port) {
    String host = switch (bind) {
      case "127.0.0.1", "localhost", "::1", "[::1]" -> "127.0.0.1";
      case "0.0.0.0", "::", "[::]" -> networkAddress();
      default -> bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    };
    return "http://" + host + ":" + port + "/";
  }

  /** This machine's IPv4 address on a network (a private one first), else its name. */
  private static String networkAddress() {
    try {
      List<InetAddress> found = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
          .filter(RoomUrls::upAndReal)
          .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
          .sorted(Comparator.comparing(a -> a.isSiteLocalAddress() ? 0 : 1))
          .toList();
      if (!found.isEmpty()) {
        return found.get(0).getHostAddress();
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      LOG.warn("cannot list this machine's network addresses ({}); the room's address uses 127.0.0.1: give --url", e.toString());
      return "127.0.0.1";
    }
  }

  private static boolean upAndReal(NetworkInterface i) {
    try {
      return i.isUp() && !i.isLoopback() && !i.isVirtual();
    } catch (SocketException e) {
      return false;
    }
  }

  static void remember(DataDir dir, String url) throws IOException {
    DataDir.writeAtomically(dir.resolve(FILE), url + "\n", false);
  }

  /** The address the room had when it last served from this data dir. */
  public static Optional<String> remembered(DataDir dir) {
    Path file = dir.resolve(FILE);
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", file, e.toString());
      return Optional.empty();
    }
  }
}
