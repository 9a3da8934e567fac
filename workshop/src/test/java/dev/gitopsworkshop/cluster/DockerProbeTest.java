package dev.gitopsworkshop.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.FakeDockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the probe reads a Docker engine's socket. No engine runs here, so a fake engine on a Unix
 * socket answers {@code /_ping} and {@code /info} as Docker's API does.
 */
class DockerProbeTest {
  @TempDir Path tmp;

  @Test
  void aMissingSocketIsNamed() {
    DockerProbe.Answer a = DockerProbe.ask(tmp.resolve("docker.sock"));
    assertFalse(a.available());
    assertEquals(tmp.resolve("docker.sock") + " does not exist", a.reason());
  }

  @Test
  void aSocketNobodyListensOnIsNoEngine() throws IOException {
    Path socket = tmp.resolve("stale.sock");
    Files.createFile(socket);
    DockerProbe.Answer a = DockerProbe.ask(socket);
    assertFalse(a.available());
    assertTrue(a.reason().startsWith("nothing answers on " + socket), a.reason());
  }

  @Test
  void aFakeEngineAnsweringPingIsAvailableAndItsMemoryIsRead() throws IOException {
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "200 OK", "{\"MemTotal\": 8254377984, \"NCPU\": 4}")) {
      DockerProbe.Answer a = DockerProbe.ask(socket);
      assertTrue(a.available(), a.reason());
      assertEquals("Docker answers on " + socket, a.reason());
      assertEquals(OptionalLong.of(8254377984L), DockerProbe.memTotal(socket));
    }
  }

  @Test
  void aFakeEngineRefusingIsNotAvailableAndSaysWhatItAnswered() throws IOException {
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "500 Internal Server Error", "{}")) {
      DockerProbe.Answer a = DockerProbe.ask(socket);
      assertFalse(a.available());
      assertEquals("Docker at " + socket + " answered: HTTP/1.0 500 Internal Server Error", a.reason());
      assertEquals(OptionalLong.empty(), DockerProbe.memTotal(socket));
    }
  }
}
