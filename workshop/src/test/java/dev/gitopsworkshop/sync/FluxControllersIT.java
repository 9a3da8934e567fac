package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.cluster.embedded.ContainerContext;
import dev.gitopsworkshop.cluster.embedded.ContainerRuntime;
import dev.gitopsworkshop.cluster.embedded.EmbeddedCluster;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Urls;
import dev.gitopsworkshop.sync.image.RegistryMirrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded Flux controllers as Flux users see them, in process: the lines each controller's
 * container writes (read at the ContainerLog seam, which {@code kubectl logs} serves), and the
 * status of the kinds no embedded controller reconciles (with CRDs and a helm-controller pod this
 * test applies itself, as a real install would).
 */
class FluxControllersIT {
  @TempDir static Path tmp;
  static GitServer git;
  static EmbeddedCluster cluster;
  static Nudger nudger;
  static Cli cli;
  static Path kubeconfig;
  static Path ws;
  /** Log lines by container image. */
  static final Map<String, List<String>> logs = new ConcurrentHashMap<>();

  @BeforeAll
  static void labWithOperator() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("data"));
    git = GitServer.start(new GitServer.Options(dir, null, null, GitServer.DEFAULT_MAX_PUSH_BYTES, ProjectContent.at(Cli.projectRoot()), null));
    cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(dir, "127.0.0.1", null, 50));
    for (ContainerRuntime runtime : FluxRuntimes.runtimes(RegistryMirrors.none())) {
      cluster.register(logged(runtime));
    }
    kubeconfig = tmp.resolve("kubeconfig");
    cluster.writeKubeconfig(kubeconfig);
    nudger = Nudger.forKubeconfig(kubeconfig, true, ks -> {});
    git.pushEvents().subscribe(nudger::pushed);
    cli = new Cli(Files.createDirectories(tmp.resolve("home")), tmp);
    ws = tmp.resolve("ws");
    cli.git(null, "clone", "-q", Urls.withCredentials(git.repositoryUrl("workshop.git"), git.participant().username(),
        git.participant().password()), ws.toString()).ok();
    kubectl("apply", "-f", ws.resolve("flux/install.yaml").toString()).ok();
    kubectl("-n", "flux-system", "create", "secret", "generic", "workshop-git", "--from-literal=username=flux",
        "--from-literal=password=" + git.operator().password()).ok();
    kubectl("apply", "-f", ws.resolve("flux/workshop-source.yaml").toString(), "-f", ws.resolve("flux/workshop-sync.yaml").toString()).ok();
  }

  /** The runtime, its container's lines kept by image. */
  static ContainerRuntime logged(ContainerRuntime runtime) {
    return new ContainerRuntime() {
      @Override
      public boolean runs(String image) {
        return runtime.runs(image);
      }

      @Override
      public AutoCloseable start(ContainerContext c) throws Exception {
        List<String> lines = logs.computeIfAbsent(c.image().replaceFirst(":.*$", ""), k -> new CopyOnWriteArrayList<>());
        return runtime.start(new ContainerContext(c.namespace(), c.podName(), c.containerName(), c.image(), c.apiUrl(), c.token(),
            c.caPem(), lines::add));
      }
    };
  }

  @AfterAll
  static void down() {
    nudger.close();
    cluster.close();
    git.close();
  }

  static Cli.Result kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "--cache-dir=" + tmp.resolve("kcache")));
    cmd.addAll(List.of(args));
    return cli.run(null, cmd.toArray(String[]::new));
  }

  static Cli.Result kubectlWithInput(String yaml, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "--cache-dir=" + tmp.resolve("kcache")));
    cmd.addAll(List.of(args));
    return cli.runWithInput(null, Map.of(), yaml, cmd.toArray(String[]::new));
  }

  static String push(String file, String content) throws IOException {
    Path path = ws.resolve(file);
    if (content == null) {
      Files.delete(path);
    } else {
      Files.writeString(path, content);
    }
    cli.git(ws, "add", "-A").ok();
    cli.git(ws, "commit", "-q", "-m", "change " + file).ok();
    cli.git(ws, "push", "-q", "origin", "main").ok();
    return "main@sha1:" + cli.git(ws, "rev-parse", "HEAD").ok().out().strip();
  }

  /** The kustomize-controller's lines as JSON, with a message starting so and this revision. */
  static List<JsonNode> lines(String msgStart, String revision) {
    List<JsonNode> found = new ArrayList<>();
    for (String line : logs.getOrDefault("ghcr.io/fluxcd/kustomize-controller", List.of())) {
      try {
        JsonNode j = Mappers.JSON.readTree(line);
        if (j.path("msg").asText().startsWith(msgStart) && (revision == null || revision.equals(j.path("revision").asText()))) {
          found.add(j);
        }
      } catch (IOException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return found;
  }

  @Test
  void theKustomizeControllerLogsEachReconcileAsFluxDoes() throws Exception {
    String revision = push("deploy/kubernetes/podinfo-dep.yaml", Files.readString(ws.resolve("examples/podinfo-dep.yaml")));
    await("a finished reconcile of " + revision + " in the kustomize-controller's log").atMost(Duration.ofSeconds(30))
        .until(() -> !lines("Reconciliation finished in ", revision).isEmpty());
    JsonNode finished = lines("Reconciliation finished in ", revision).get(0);
    assertEquals("info", finished.path("level").asText());
    assertTrue(finished.path("msg").asText().endsWith(", next run in 1m0s"), finished.toString());
    assertEquals("Kustomization", finished.path("controllerKind").asText());
    assertEquals("workshop", finished.at("/Kustomization/name").asText());
    assertEquals("flux-system", finished.path("namespace").asText());
    JsonNode applied = lines("server-side apply completed", revision).get(0);
    assertEquals("created", applied.at("/output/Deployment~1default~1podinfo").asText(), applied.toString());
    assertEquals(finished.path("reconcileID").asText(), applied.path("reconcileID").asText(), "one reconcile, one ID");
    assertEquals(1, lines("Starting workers", null).size());
    assertEquals(4, lines("Starting workers", null).get(0).path("worker count").asInt());

    String broken = push("deploy/kubernetes/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: no-namespace}\n");
    await("a failed reconcile of " + broken).atMost(Duration.ofSeconds(30))
        .until(() -> !lines("Reconciliation failed after ", broken).isEmpty());
    JsonNode failed = lines("Reconciliation failed after ", broken).get(0);
    assertEquals("error", failed.path("level").asText());
    assertTrue(failed.path("msg").asText().endsWith(", next try in 1m0s"), failed.toString());
    assertTrue(failed.path("error").asText().contains("ConfigMap/no-namespace namespace not specified"), failed.toString());
    push("deploy/kubernetes/broken.yaml", null);
  }

  @Test
  void repeatedEventsAreCountedAndSimilarOnesCombinedAsClientGoDoes() throws Exception {
    kubectlWithInput("""
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: chatty, namespace: flux-system}
        spec: {interval: 1h, sourceRef: {kind: GitRepository, name: workshop}, path: ./deploy/kubernetes, prune: false, targetNamespace: default}
        """, "apply", "-f", "-").ok();
    for (int i = 1; i <= Events.SIMILAR + 2; i++) {
      String request = "request-" + i;
      kubectl("-n", "flux-system", "annotate", "kustomization", "chatty", "reconcile.fluxcd.io/requestedAt=" + request, "--overwrite").ok();
      await("reconcile request " + i + " handled").atMost(Duration.ofSeconds(30)).until(() -> request.equals(
          kubectl("-n", "flux-system", "get", "kustomization", "chatty", "-o", "jsonpath={.status.lastHandledReconcileAt}").out()));
    }
    List<JsonNode> finished = new ArrayList<>();
    for (JsonNode e : Mappers.JSON.readTree(kubectl("-n", "flux-system", "get", "events", "-o", "json").ok().out()).path("items")) {
      if ("chatty".equals(e.at("/involvedObject/name").asText()) && e.path("message").asText().contains("Reconciliation finished in ")) {
        finished.add(e);
      }
    }
    List<JsonNode> combined = finished.stream().filter(e -> e.path("message").asText().startsWith(Events.COMBINED)).toList();
    assertEquals(1, combined.size(), finished.toString());
    assertTrue(combined.get(0).path("count").asInt() >= 2, combined.toString());
    assertEquals(Events.SIMILAR, finished.size(), "nine single ones, then one that combines the rest: " + finished);
    assertTrue(combined.get(0).at("/metadata/annotations").path("kustomize.toolkit.fluxcd.io/revision").asText().startsWith("main@sha1:"));
  }

  @Test
  void kindsWithoutAnEmbeddedControllerAreRefusedByTheirController() throws Exception {
    kubectlWithInput("""
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmRepository
        metadata: {name: podinfo, namespace: default}
        spec: {interval: 10m, url: "https://stefanprodan.github.io/podinfo"}
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: podinfo, namespace: default}
        spec:
          interval: 10m
          chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
        """, "apply", "-f", "-").ok();
    for (String kind : List.of("HelmRepository", "HelmRelease")) {
      await(kind + " refused by the source-controller's pod").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(
          "False UnsupportedKind " + kind + " is not reconciled by the embedded operator; use --cluster k3s for real Flux",
          kubectl("get", kind.toLowerCase(), "podinfo", "-o",
              "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].reason} "
                  + "{.status.conditions[?(@.type==\"Ready\")].message}").out()));
    }
    assertEquals("True", kubectl("get", "helmrelease", "podinfo", "-o", "jsonpath={.status.conditions[?(@.type==\"Stalled\")].status}").out());

    // a helm-controller pod (as real Flux's install.yaml has) says the same of its kind, and no more
    kubectlWithInput("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: helm-controller, namespace: flux-system}
        spec:
          selector: {matchLabels: {app: helm-controller}}
          template:
            metadata: {labels: {app: helm-controller}}
            spec: {containers: [{name: manager, image: ghcr.io/fluxcd/helm-controller:v1.5.0}]}
        """, "apply", "-f", "-").ok();
    await("the helm-controller's pod started").atMost(Duration.ofSeconds(30))
        .until(() -> logs.containsKey("ghcr.io/fluxcd/helm-controller"));
    String rv = kubectl("get", "helmrelease", "podinfo", "-o", "jsonpath={.metadata.resourceVersion}").out();
    kubectl("annotate", "helmrelease", "podinfo", "reconcile.fluxcd.io/requestedAt=now", "--overwrite").ok();
    await("the request handled").atMost(Duration.ofSeconds(30)).until(() -> "now".equals(
        kubectl("get", "helmrelease", "podinfo", "-o", "jsonpath={.status.lastHandledReconcileAt}").out()));
    assertEquals("False", kubectl("get", "helmrelease", "podinfo", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out(), rv);
  }
}
