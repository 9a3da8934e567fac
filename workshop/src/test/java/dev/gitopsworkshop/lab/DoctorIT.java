package dev.gitopsworkshop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.FakeDockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workshop doctor} on a machine without Docker: Docker fails with what to do, the rest as it is, exit 1. */
class DoctorIT {
  @TempDir Path tmp;

  @Test
  void reportsDockerMissingAsAFailedCheckWithWhatToDoAndExitsOne() throws Exception {
    assumeFalse(DockerProbe.ask().available(), "this machine has Docker");
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Cli.Result r = cli.run(tmp, cli.workshop("doctor", "--data-dir", tmp.resolve("lab").toString()));
    assertEquals(1, r.exitCode(), r.toString());
    List<String> lines = r.out().lines().toList();
    int docker = indexOf(lines, "Docker ");
    assertTrue(lines.get(docker).startsWith("✗") && lines.get(docker).contains("no Docker engine answers"), r.out());
    assertTrue(lines.get(docker + 1).contains("install and start Docker") && lines.get(docker + 1).contains("--cluster embedded"), r.out());
    assertTrue(lines.get(indexOf(lines, "data dir ")).startsWith("✔"), r.out());
    assertTrue(lines.get(indexOf(lines, "ports ")).startsWith("✔"), r.out());
    assertTrue(lines.get(indexOf(lines, "registry ghcr.io ")).startsWith("- "), "skipped: auto without Docker pulls nothing\n" + r.out());
    indexOf(lines, "kubectl ");
    assertTrue(r.out().contains("some required checks failed"), r.out());
  }

  @Test
  void showsTheMemoryOfAFakeEngineNamedByDockerHostAndAsksTheRegistries() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "200 OK", "{\"MemTotal\": 1073741824}")) {
      Cli.Result r = cli.run(tmp, Map.of("DOCKER_HOST", "unix://" + socket),
          cli.workshop("doctor", "--data-dir", tmp.resolve("lab").toString()));
      assertEquals(1, r.exitCode(), r.toString());
      List<String> lines = r.out().lines().toList();
      String docker = lines.get(indexOf(lines, "Docker "));
      assertTrue(docker.startsWith("✗") && docker.contains("Docker answers on " + socket + ", with 1.0 GiB of memory; k3s needs about 2 GiB"),
          r.out());
      String ghcr = lines.get(indexOf(lines, "registry ghcr.io "));
      assertTrue(!ghcr.startsWith("- "), "auto with Docker means k3s: the registries are asked\n" + r.out());
    }
  }

  private static int indexOf(List<String> lines, String name) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).length() > 2 && lines.get(i).substring(2).startsWith(name)) {
        return i;
      }
    }
    throw new AssertionError("no check '" + name.strip() + "' in\n" + String.join("\n", lines));
  }
}
