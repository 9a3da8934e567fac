package dev.gitopsworkshop.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cluster} as a user meets it on a machine without Docker (the packaged tool, as a
 * process): k3s refuses at once in one line, auto falls back saying why, and every mistake with
 * the real-cluster options is one error naming it and what to do.
 */
class ClusterModesIT {
  @TempDir Path tmp;
  Cli cli;
  Path data;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    data = tmp.resolve("lab");
  }

  Cli.Result run(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("run", "--auto", "--data-dir", data.toString()));
    all.addAll(List.of(args));
    return cli.run(tmp, cli.workshop(all.toArray(String[]::new)));
  }

  static List<String> errorLines(Cli.Result r) {
    return r.err().lines().filter(l -> !l.isBlank()).toList();
  }

  static void assertUsageError(Cli.Result r, String... phrases) {
    assertEquals(2, r.exitCode(), r.toString());
    for (String phrase : phrases) {
      assertTrue(r.err().contains(phrase), "'" + phrase + "' in\n" + r);
    }
  }

  @Test
  void k3sWithoutDockerFailsAtOnceInOneLineNamingDockerAndTheEmbeddedCluster() {
    assumeFalse(DockerProbe.ask().available(), "this machine has Docker");
    long started = System.nanoTime();
    Cli.Result r = run("--cluster", "k3s");
    System.out.printf("--cluster k3s without Docker failed after %.1f s (JVM start included)%n", (System.nanoTime() - started) / 1e9);
    assertEquals(2, r.exitCode(), r.toString());
    List<String> lines = errorLines(r);
    assertEquals(1, lines.size(), r.toString());
    assertTrue(lines.get(0).contains("--cluster k3s needs a Docker engine, and none answers ("), lines.get(0));
    assertTrue(lines.get(0).endsWith(": use --cluster embedded"), lines.get(0));
    assertTrue(Files.notExists(data.resolve("git")), "nothing was started");
  }

  @Test
  void autoWithoutDockerUsesTheEmbeddedClusterSayingWhy() {
    assumeFalse(DockerProbe.ask().available(), "this machine has Docker");
    Cli.Result r = run("--to", "0");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("using the embedded cluster, as no Docker engine answers ("), r.err());
    assertTrue(r.err().contains("lab ready: embedded cluster"), r.err());
  }

  @Test
  void aRunOnALabAlreadyRunningSaysWhichClusterItUsesWhateverClusterWasAsked() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp.resolve("running"))) {
      Cli.Result r = lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--to", "0", "--cluster", "k3s",
          "--data-dir", lab.dataDir().toString()));
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.err().contains("(embedded cluster; --cluster k3s is for a new lab: stop this one first)"), r.err());
    }
  }

  @Test
  void kubeconfigWithoutTheKubeconfigModeIsRefused() throws IOException {
    Path kubeconfig = Files.writeString(tmp.resolve("config"), "apiVersion: v1\n");
    assertUsageError(run("--kubeconfig", kubeconfig.toString()),
        "--kubeconfig is for an existing cluster, and --cluster is auto", "add --cluster kubeconfig");
    assertUsageError(run("--cluster", "embedded", "--context", "kind-kind"), "--context is for an existing cluster");
  }

  @Test
  void aK3sTimeoutForAnotherModeOrBelowAMinuteIsRefused() {
    assertUsageError(run("--cluster", "embedded", "--k3s-timeout", "10"), "--k3s-timeout is for a k3s cluster, and --cluster is embedded",
        "leave --k3s-timeout out, or use --cluster k3s");
    assertUsageError(run("--k3s-timeout", "0"), "--k3s-timeout 0: give a number of minutes, at least 1");
  }

  @Test
  void theKubeconfigModeWithoutAKubeconfigIsRefused() {
    assertUsageError(run("--cluster", "kubeconfig"), "--cluster kubeconfig needs --kubeconfig FILE");
  }

  @Test
  void aMissingKubeconfigIsNamedBeforeAnythingIsDownloaded() {
    Path missing = tmp.resolve("no/config");
    Cli.Result r = run("--cluster", "kubeconfig", "--kubeconfig", missing.toString());
    assertUsageError(r, "the kubeconfig " + missing + " does not exist");
    assertTrue(!r.err().contains("downloading"), r.err());
  }

  @Test
  void aFileThatIsNotAKubeconfigIsNamed() throws IOException {
    Path file = Files.writeString(tmp.resolve("notes.yaml"), "hello: world\n");
    assertUsageError(run("--cluster", "kubeconfig", "--kubeconfig", file.toString(), "--flux-manifests", offlineManifest()),
        file + " is not a kubeconfig");
  }

  @Test
  void anUnreadableKubeconfigIsNamed() throws IOException {
    Path kubeconfig = kubeconfig(1);
    assumeTrue(kubeconfig.toFile().setReadable(false, false) && !Files.isReadable(kubeconfig), "this user reads every file");
    assertUsageError(run("--cluster", "kubeconfig", "--kubeconfig", kubeconfig.toString(), "--flux-manifests", offlineManifest()),
        "the kubeconfig " + kubeconfig + " cannot be read (permission denied)");
  }

  @Test
  void aFolderGivenAsKubeconfigCannotBeRead() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("kube"));
    assertUsageError(run("--cluster", "kubeconfig", "--kubeconfig", folder.toString(), "--flux-manifests", offlineManifest()),
        "the kubeconfig " + folder + " cannot be read");
  }

  @Test
  void anUnknownContextListsTheKnownOnes() throws IOException {
    Path kubeconfig = kubeconfig(1);
    assertUsageError(run("--cluster", "kubeconfig", "--kubeconfig", kubeconfig.toString(), "--context", "prod",
        "--flux-manifests", offlineManifest()), "has no context 'prod'", "choose one of: kind-workshop");
  }

  @Test
  void anUnreachableApiServerIsOneLineNamingTheServer() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path kubeconfig = kubeconfig(closed);
    Cli.Result r = run("--cluster", "kubeconfig", "--kubeconfig", kubeconfig.toString(), "--flux-manifests", offlineManifest());
    assertEquals(1, r.exitCode(), r.toString());
    List<String> lines = errorLines(r).stream().filter(l -> l.contains("error:")).toList();
    assertEquals(1, lines.size(), r.toString());
    assertTrue(lines.get(0).contains("the cluster at https://127.0.0.1:" + closed + " (context 'kind-workshop' in " + kubeconfig
        + ") does not answer"), lines.get(0));
    assertTrue(r.err().contains("get nodes"), r.err());
    assertTrue(Files.notExists(data.resolve("lab.json")));
  }

  @Test
  void fluxManifestsThatAreMissingOrNotFluxAreRefused() throws IOException {
    assertUsageError(run("--cluster", "embedded", "--flux-manifests", tmp.resolve("install.yaml").toString()),
        "install.yaml: no such file");
    Path podinfo = Cli.projectRoot().resolve("examples/podinfo-dep.yaml");
    assertUsageError(run("--cluster", "embedded", "--flux-manifests", podinfo.toString()),
        "--flux-manifests " + podinfo + " is not Flux's install manifest: it has no flux-system Namespace");
  }

  static String offlineManifest() {
    return Cli.projectRoot().resolve("flux/install.yaml").toString();
  }

  /** A kind-style kubeconfig (client certificate, one context) for a server on this port. */
  Path kubeconfig(int port) throws IOException {
    return Files.writeString(tmp.resolve("kind-config"), """
        apiVersion: v1
        kind: Config
        current-context: kind-workshop
        clusters:
        - name: kind-workshop
          cluster:
            server: https://127.0.0.1:%d
            insecure-skip-tls-verify: true
        users:
        - name: kind-workshop
          user:
            token: abc
        contexts:
        - name: kind-workshop
          context: {cluster: kind-workshop, user: kind-workshop}
        """.formatted(port));
  }
}
