package dev.gitopsworkshop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.lab.Doctor.Check;
import dev.gitopsworkshop.lab.Doctor.Status;
import dev.gitopsworkshop.state.DataDir;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's checks. Docker cannot run here, so its answers (engine up, its memory) are given by
 * the test where a test needs one; ports, folders and HTTP are real.
 */
class DoctorTest {
  static final long GIB = 1024L * 1024 * 1024;
  @TempDir Path tmp;
  final List<String> registriesAsked = new ArrayList<>();

  Doctor.Probes probes(boolean docker, long memory, boolean kubectl) {
    return new Doctor.Probes(
        () -> new DockerProbe.Answer(docker, docker ? "Docker answers on /var/run/docker.sock" : "/var/run/docker.sock does not exist"),
        () -> memory > 0 ? OptionalLong.of(memory) : OptionalLong.empty(),
        command -> kubectl ? Optional.of(Path.of("/usr/local/bin", command)) : Optional.empty(),
        host -> {
          registriesAsked.add(host);
          return null;
        });
  }

  static Check named(List<Check> checks, String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + checks));
  }

  @Test
  void withoutDockerAutoIsJudgedAsTheEmbeddedClusterItRunsThereDockerOnlyWarnsAndTheRunPasses() {
    Doctor.Report report = Doctor.report(DataDir.at(tmp.resolve("lab")), ClusterMode.AUTO, probes(false, 0, true));
    assertEquals(ClusterMode.EMBEDDED, report.judged());
    assertEquals("checks for --cluster auto, which runs the embedded cluster here, as no Docker engine answers", report.heading());
    Check docker = named(report.checks(), "Docker");
    assertEquals(Status.WARN, docker.status());
    assertEquals("no Docker engine answers (/var/run/docker.sock does not exist): the lab runs the embedded cluster; "
        + "k3s (real Flux) would need Docker", docker.detail());
    assertTrue(docker.whatToDo().startsWith("for k3s, install and start Docker"), docker.whatToDo());
    assertTrue(Doctor.passed(report.checks()), report.checks().toString());
    assertEquals(Status.SKIP, named(report.checks(), "registry ghcr.io").status(), "auto without Docker means embedded: no pulls");
    assertTrue(registriesAsked.isEmpty());
  }

  @Test
  void withoutDockerK3sFailsSayingWhatToDoAndTheWholeRunFails() {
    List<Check> checks = Doctor.run(DataDir.at(tmp.resolve("lab")), ClusterMode.K3S, probes(false, 0, true));
    Check docker = named(checks, "Docker");
    assertEquals(Status.FAIL, docker.status());
    assertTrue(docker.detail().contains("/var/run/docker.sock does not exist"), docker.detail());
    assertTrue(docker.whatToDo().contains("--cluster embedded"), docker.whatToDo());
    assertFalse(Doctor.passed(checks));
  }

  @Test
  void withDockerAutoIsJudgedAsK3s() {
    Doctor.Report report = Doctor.report(DataDir.at(tmp), ClusterMode.AUTO, probes(true, 8 * GIB, true));
    assertEquals(ClusterMode.K3S, report.judged());
    assertEquals("checks for --cluster auto, which runs k3s here, as Docker answers", report.heading());
  }

  @Test
  void anEngineGivenByTheTestWithTooLittleMemoryFails() {
    Check docker = named(Doctor.run(DataDir.at(tmp), ClusterMode.K3S, probes(true, GIB, true)), "Docker");
    assertEquals(Status.FAIL, docker.status());
    assertTrue(docker.detail().contains("1.0 GiB of memory; k3s needs about 2 GiB"), docker.detail());
  }

  @Test
  void anEngineGivenByTheTestWithEnoughMemoryPassesAndTheRegistriesAreAsked() {
    List<Check> checks = Doctor.run(DataDir.at(tmp), ClusterMode.AUTO, probes(true, 8 * GIB, true));
    assertEquals(Status.PASS, named(checks, "Docker").status());
    assertTrue(named(checks, "Docker").detail().endsWith("8.0 GiB of memory"));
    assertEquals(List.of("ghcr.io", "registry-1.docker.io"), registriesAsked);
    assertEquals(Status.PASS, named(checks, "registry docker.io").status());
  }

  @Test
  void dockerAndRegistriesAreSkippedForTheEmbeddedCluster() {
    List<Check> checks = Doctor.run(DataDir.at(tmp), ClusterMode.EMBEDDED, probes(false, 0, true));
    assertEquals(Status.SKIP, named(checks, "Docker").status());
    assertEquals(Status.SKIP, named(checks, "registry ghcr.io").status());
    assertEquals(Status.SKIP, named(checks, "Flux manifest").status());
    assertTrue(Doctor.passed(checks), checks.toString());
  }

  @Test
  void kubectlMissingWarnsThatTheEmbeddedClustersKustomizeBuildsNeedIt() {
    List<Check> checks = Doctor.run(DataDir.at(tmp), ClusterMode.AUTO, probes(false, 0, false));
    Check kubectl = named(checks, "kubectl");
    assertEquals(Status.WARN, kubectl.status());
    assertEquals("not on PATH: the steps use it, and the embedded cluster's Flux builds a kustomization.yaml with more than "
        + "'resources:' only through 'kubectl kustomize'", kubectl.detail());
    assertNotNull(kubectl.whatToDo());
    assertTrue(Doctor.passed(checks));
  }

  @Test
  void kubectlMissingOnARealClusterMattersOnlyForTheSteps() {
    Check kubectl = named(Doctor.run(DataDir.at(tmp), ClusterMode.K3S, probes(true, 8 * GIB, false)), "kubectl");
    assertEquals(Status.WARN, kubectl.status());
    assertEquals("not on PATH: the steps use it (the lab itself does not)", kubectl.detail());
  }

  @Test
  void gitMissingWarnsThatTheStepsUseIt() {
    Check git = named(Doctor.run(DataDir.at(tmp), ClusterMode.EMBEDDED, probes(false, 0, false)), "git");
    assertEquals(Status.WARN, git.status());
    assertEquals("not on PATH: the steps are done with git (clone, commit, push)", git.detail());
    assertTrue(git.whatToDo().startsWith("install git"), git.whatToDo());
  }

  @Test
  void javaPassesForAJdk17WithJavacWarnsForARuntimeAndFailsBelow17() throws Exception {
    Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
    Files.writeString(jdk.resolve("javac"), "");
    Path jre = Files.createDirectories(tmp.resolve("jre/bin")).getParent();
    Check ok = Doctor.java(Runtime.Version.parse("17.0.15+6"), jdk.getParent());
    assertEquals(Status.PASS, ok.status(), ok.toString());
    assertEquals("Java 17.0.15+6 (" + jdk.getParent() + ")", ok.detail());
    assertEquals(Status.WARN, Doctor.java(Runtime.Version.parse("21.0.2"), jre).status());
    Check old = Doctor.java(Runtime.Version.parse("11.0.20"), jdk.getParent());
    assertEquals(Status.FAIL, old.status());
    assertTrue(old.whatToDo().contains("JDK 17 or newer"), old.whatToDo());
  }

  @Test
  void findsACommandOnThePath() {
    assertTrue(Doctor.onPath("sh").isPresent());
    assertTrue(Doctor.onPath("no-such-command-here").isEmpty());
  }

  @Test
  void aRememberedPortInUseFailsNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path lab = Files.createDirectories(tmp.resolve("lab"));
      Files.writeString(lab.resolve("credentials.json"), "{\"port\": " + taken.getLocalPort() + "}");
      Check ports = Doctor.ports(DataDir.at(lab));
      assertEquals(Status.FAIL, ports.status());
      assertTrue(ports.detail().contains("Git server " + taken.getLocalPort()), ports.detail());
      assertTrue(ports.whatToDo().contains("--port"), ports.whatToDo());
    }
  }

  @Test
  void rememberedPortsThatAreFreePass() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path lab = Files.createDirectories(tmp.resolve("lab"));
    Files.writeString(lab.resolve("cluster.json"), "{\"port\": " + port + ", \"token\": \"x\"}");
    Check ports = Doctor.ports(DataDir.at(lab));
    assertEquals(Status.PASS, ports.status(), ports.toString());
    assertEquals("free: embedded API server " + port, ports.detail());
  }

  @Test
  void aDataDirNotMadeYetPassesAndIsNotCreatedByTheCheck() {
    Check dir = Doctor.dataDir(DataDir.at(tmp.resolve("new/lab")));
    assertEquals(Status.PASS, dir.status(), dir.toString());
    assertTrue(dir.detail().contains("does not exist yet"), dir.detail());
    assertTrue(Files.notExists(tmp.resolve("new")), "doctor leaves nothing behind");
  }

  @Test
  void aDataDirThatCannotBeCreatedFails() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Check dir = Doctor.dataDir(DataDir.at(file.resolve("lab")));
    assertEquals(Status.FAIL, dir.status());
    assertTrue(dir.whatToDo().contains("--data-dir"), dir.whatToDo());
  }

  @Test
  void anHttpsRegistryProbeCountsAnyAnswerAndNamesAFailure() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2/", exchange -> {
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    try {
      assertNull(Doctor.httpProblem(URI.create("http://127.0.0.1:" + port + "/v2/")), "401 is how a registry says hello");
    } finally {
      server.stop(0);
    }
    String problem = Doctor.httpProblem(URI.create("http://127.0.0.1:" + port + "/v2/"));
    assertNotNull(problem, "nothing listens any more");
  }
}
