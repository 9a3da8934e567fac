package dev.gitopsworkshop.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitopsworkshop.cluster.DockerEndpoints.Environment;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.dockerclient.DockerDesktopClientProviderStrategy;
import org.testcontainers.dockerclient.EnvironmentAndSystemPropertyClientProviderStrategy;
import org.testcontainers.dockerclient.RootlessDockerClientProviderStrategy;
import org.testcontainers.dockerclient.TestcontainersHostPropertyClientProviderStrategy;
import org.testcontainers.dockerclient.UnixSocketClientProviderStrategy;

/**
 * {@link DockerEndpoints} asks the places Testcontainers' own strategies look, in their order: checked
 * against the Testcontainers on the classpath (its strategies' priorities, and the sockets its
 * rootless and Docker Desktop strategies pick in a home of the test's). A Testcontainers upgrade that
 * moves a place fails here.
 */
class DockerEndpointsTestcontainersTest {
  @TempDir Path tmp;
  String realHome;

  @BeforeEach
  void homeOfTheTest() {
    realHome = System.getProperty("user.home");
    System.setProperty("user.home", tmp.toString());
  }

  @AfterEach
  void realHomeBack() {
    System.setProperty("user.home", realHome);
  }

  static int priority(Class<?> strategy) throws ReflectiveOperationException {
    Field f = strategy.getField("PRIORITY");
    return f.getInt(null);
  }

  @Test
  void testcontainersTriesItsStrategiesInTheOrderTheProbeAsks() throws ReflectiveOperationException {
    List<Class<?>> byPriority = List.<Class<?>>of(UnixSocketClientProviderStrategy.class, DockerDesktopClientProviderStrategy.class,
            RootlessDockerClientProviderStrategy.class, EnvironmentAndSystemPropertyClientProviderStrategy.class,
            TestcontainersHostPropertyClientProviderStrategy.class).stream()
        .sorted(Comparator.comparingInt((Class<?> c) -> {
          try {
            return priority(c);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        }).reversed())
        .toList();
    assertEquals(List.of(EnvironmentAndSystemPropertyClientProviderStrategy.class, TestcontainersHostPropertyClientProviderStrategy.class,
        RootlessDockerClientProviderStrategy.class, UnixSocketClientProviderStrategy.class, DockerDesktopClientProviderStrategy.class), byPriority);
  }

  @Test
  void theSocketsOfTestcontainersRootlessAndDockerDesktopStrategiesAreTheProbes() throws IOException {
    String xdg = System.getenv("XDG_RUNTIME_DIR");
    assumeTrue(xdg == null || !Files.exists(Path.of(xdg, "docker.sock")), "this machine has rootless Docker in $XDG_RUNTIME_DIR");
    Files.createDirectories(tmp.resolve(".docker/run"));
    Files.createFile(tmp.resolve(".docker/run/docker.sock"));
    Files.createDirectories(tmp.resolve(".docker/desktop"));
    Files.createFile(tmp.resolve(".docker/desktop/docker.sock"));
    Environment here = new Environment(Map.of(), tmp, null, tmp.resolve("no-default.sock"), "linux");
    List<DockerEndpoints.Endpoint> ours = DockerEndpoints.of(here);
    assertEquals(new RootlessDockerClientProviderStrategy().getSocketPath(), ours.get(0).socket());
    assertEquals("rootless Docker's socket", ours.get(0).source());
    assertEquals(new DockerDesktopClientProviderStrategy().getSocketPath(), ours.get(1).socket());
    assertEquals("Docker Desktop's socket", ours.get(1).source());
  }
}
