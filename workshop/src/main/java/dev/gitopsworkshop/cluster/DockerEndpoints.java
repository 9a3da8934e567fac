package dev.gitopsworkshop.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a Docker engine may answer on this machine, in the order Testcontainers 2.0.5 tries its
 * strategies (the k3s cluster starts through Testcontainers, so the lab must find the engine it
 * finds): {@code DOCKER_HOST} or {@code docker.host} in {@code ~/.testcontainers.properties}
 * (Colima and remote engines are configured so), {@code tc.host} there, rootless Docker's socket
 * ({@code $XDG_RUNTIME_DIR/docker.sock}, else {@code ~/.docker/run/docker.sock}, else
 * {@code /run/user/UID/docker.sock}), {@code /var/run/docker.sock}, then Docker Desktop's
 * ({@code ~/.docker/desktop/docker.sock}, else {@code ~/.docker/run/docker.sock}). A strategy that
 * Testcontainers remembered in the properties file ({@code docker.client.strategy}) goes first, as
 * there.
 */
public final class DockerEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEndpoints.class);
  private static final String TC_PACKAGE = "org.testcontainers.dockerclient.";

  /** One place to ask: the engine's address, and where that address came from (for messages). */
  public record Endpoint(URI host, String source) {
    /** A Unix socket path, or null for another kind of address. */
    public Path socket() {
      return "unix".equals(host.getScheme()) ? Path.of(host.getPath()) : null;
    }
  }

  /**
   * What the lookup reads: tests give their own.
   *
   * @param env the environment variables
   * @param home the user's home (Testcontainers reads {@code user.home})
   * @param runUser {@code /run/user/UID}, rootless Docker's default folder (null when unknown)
   * @param defaultSocket {@code /var/run/docker.sock}
   * @param os "linux", "mac" or "other": Testcontainers looks for rootless Docker on Linux only, and
   *     for Unix sockets on Linux and macOS
   */
  public record Environment(Map<String, String> env, Path home, Path runUser, Path defaultSocket, String os) {
    public static Environment current() {
      String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String os = name.contains("linux") ? "linux" : name.contains("mac") ? "mac" : "other";
      return new Environment(System.getenv(), Path.of(System.getProperty("user.home")), runUserDir(), Path.of("/var/run/docker.sock"), os);
    }

    Properties testcontainersProperties() {
      Properties p = new Properties();
      Path file = home.resolve(".testcontainers.properties");
      if (Files.isRegularFile(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          p.load(in);
        } catch (IOException e) {
          LOG.warn("cannot read {}: {}", file, e.toString());
        }
      }
      return p;
    }
  }

  private DockerEndpoints() {}

  /** The places to ask, first first; an address that does not parse is skipped with a log line. */
  public static List<Endpoint> of(Environment e) {
    Properties tc = e.testcontainersProperties();
    List<Endpoint> found = new ArrayList<>();
    String source = e.env().getOrDefault("TESTCONTAINERS_DOCKERCONFIG_SOURCE", tc.getProperty("dockerconfig.source", "auto"));
    String dockerHost = e.env().get("DOCKER_HOST");
    if (notBlank(dockerHost)) {
      add(found, dockerHost, "DOCKER_HOST");
    } else if (!"autoIgnoringUserProperties".equals(source) && notBlank(tc.getProperty("docker.host"))) {
      add(found, tc.getProperty("docker.host"), "docker.host in " + e.home().resolve(".testcontainers.properties"));
    }
    if (notBlank(tc.getProperty("tc.host"))) {
      add(found, tc.getProperty("tc.host"), "tc.host in " + e.home().resolve(".testcontainers.properties"));
    }
    if (e.os().equals("linux")) {
      Path rootless = rootlessSocket(e);
      if (rootless != null) {
        add(found, unix(rootless, "rootless Docker's socket"));
      }
    }
    if (e.os().equals("linux") || e.os().equals("mac")) {
      if (Files.exists(e.defaultSocket())) {
        add(found, unix(e.defaultSocket(), "the default socket"));
      }
      Path desktop = firstSocket(e.home().resolve(".docker/desktop"), e.home().resolve(".docker/run"));
      if (desktop != null) {
        add(found, unix(desktop, "Docker Desktop's socket"));
      }
    }
    String remembered = e.env().getOrDefault("TESTCONTAINERS_DOCKER_CLIENT_STRATEGY", tc.getProperty("docker.client.strategy", ""));
    String firstSource = switch (remembered.replace(TC_PACKAGE, "")) {
      case "RootlessDockerClientProviderStrategy" -> "rootless Docker's socket";
      case "UnixSocketClientProviderStrategy" -> "the default socket";
      case "DockerDesktopClientProviderStrategy" -> "Docker Desktop's socket";
      default -> null;
    };
    if (firstSource != null) {
      found.stream().filter(p -> p.source().equals(firstSource)).findFirst().ifPresent(p -> {
        found.remove(p);
        found.add(0, p);
      });
    }
    return found;
  }

  /** Rootless Docker's socket where Testcontainers looks for it, or null. */
  private static Path rootlessSocket(Environment e) {
    String xdg = e.env().get("XDG_RUNTIME_DIR");
    if (notBlank(xdg)) {
      Path socket = Path.of(xdg).resolve("docker.sock");
      if (Files.exists(socket)) {
        return socket;
      }
    }
    return firstSocket(e.home().resolve(".docker/run"), e.runUser());
  }

  private static Path firstSocket(Path... folders) {
    for (Path folder : folders) {
      if (folder != null && Files.exists(folder.resolve("docker.sock"))) {
        return folder.resolve("docker.sock");
      }
    }
    return null;
  }

  private static Endpoint unix(Path socket, String source) {
    return new Endpoint(URI.create("unix://" + socket.toAbsolutePath()), source);
  }

  private static void add(List<Endpoint> found, String host, String source) {
    try {
      add(found, new Endpoint(URI.create(host.strip()), source));
    } catch (IllegalArgumentException e) {
      LOG.warn("{} is not an address: {} ({})", source, host, e.getMessage());
    }
  }

  /** Adds unless the same address is there already (one socket can be found two ways). */
  private static void add(List<Endpoint> found, Endpoint endpoint) {
    if (found.stream().noneMatch(f -> f.host().equals(endpoint.host()))) {
      found.add(endpoint);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** {@code /run/user/UID} for this process's user, or null where there is no such thing. */
  private static Path runUserDir() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Path.of("/run/user", String.valueOf(uid));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      LOG.debug("no /run/user folder for this user: {}", e.toString());
      return null;
    }
  }
}
