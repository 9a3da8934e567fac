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

/**
 * {@code workshop doctor} as a process: on a machine without Docker it judges the embedded cluster
 * auto runs (Docker only warns, exit 0); with a fake engine where Testcontainers looks, it names it.
 */
class DoctorIT {
  @TempDir Path tmp;

  @Test
  void withoutDockerAutoIsJudgedAsTheEmbeddedClusterAndPassesWhileK3sFails() throws Exception {
    assumeFalse(DockerProbe.ask().available(), "this machine has Docker");
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Cli.Result r = cli.run(tmp, cli.workshop("doctor", "--data-dir", tmp.resolve("lab").toString()));
    assertEquals(0, r.exitCode(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals("checks for --cluster auto, which runs the embedded cluster here, as no Docker engine answers", lines.get(0));
    int docker = indexOf(lines, "Docker ");
    assertTrue(lines.get(docker).startsWith("◎") && lines.get(docker).contains("no Docker engine answers"), r.out());
    assertTrue(lines.get(docker).endsWith("the lab runs the embedded cluster; k3s (real Flux) would need Docker"), r.out());
    assertTrue(lines.get(indexOf(lines, "Java ")).startsWith("✔"), r.out());
    assertTrue(lines.get(indexOf(lines, "git ")).startsWith("✔"), r.out());
    assertTrue(lines.get(indexOf(lines, "data dir ")).startsWith("✔"), r.out());
    assertTrue(lines.get(indexOf(lines, "ports ")).startsWith("✔"), r.out());
    assertTrue(lines.get(indexOf(lines, "registry ghcr.io ")).startsWith("- "), "skipped: auto without Docker pulls nothing\n" + r.out());
    indexOf(lines, "kubectl ");
    assertTrue(r.out().contains("all required checks passed"), r.out());

    Cli.Result k3s = cli.run(tmp, cli.workshop("doctor", "--cluster", "k3s", "--data-dir", tmp.resolve("lab").toString()));
    assertEquals(1, k3s.exitCode(), k3s.toString());
    List<String> k3sLines = k3s.out().lines().toList();
    int k3sDocker = indexOf(k3sLines, "Docker ");
    assertTrue(k3sLines.get(k3sDocker).startsWith("✗"), k3s.out());
    assertTrue(k3sLines.get(k3sDocker + 1).contains("install and start Docker") && k3sLines.get(k3sDocker + 1).contains("--cluster embedded"),
        k3s.out());
    assertTrue(k3s.out().contains("some required checks failed"), k3s.out());
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
      assertTrue(docker.startsWith("✗") && docker.contains("Docker answers on unix://" + socket + " (DOCKER_HOST), with 1.0 GiB of memory; "
          + "k3s needs about 2 GiB"), r.out());
      assertEquals("checks for --cluster auto, which runs k3s here, as Docker answers", lines.get(0));
      String ghcr = lines.get(indexOf(lines, "registry ghcr.io "));
      assertTrue(!ghcr.startsWith("- "), "auto with Docker means k3s: the registries are asked\n" + r.out());
    }
  }

  @Test
  void namesRootlessDockerFoundInXdgRuntimeDirAsTestcontainersWould() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Path runtime = Files.createDirectories(tmp.resolve("run-user"));
    Path socket = runtime.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "200 OK", "{\"MemTotal\": 8589934592}")) {
      Cli.Result r = cli.run(tmp, Map.of("XDG_RUNTIME_DIR", runtime.toString()),
          cli.workshop("doctor", "--cluster", "k3s", "--data-dir", tmp.resolve("lab").toString()));
      List<String> lines = r.out().lines().toList();
      String docker = lines.get(indexOf(lines, "Docker "));
      assertTrue(docker.startsWith("✔") && docker.contains("Docker answers on unix://" + socket + " (rootless Docker's socket), with 8.0 GiB "
          + "of memory"), r.out());
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
