package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.sync.fidelity.FidelityRow;
import dev.gitopsworkshop.sync.fidelity.FidelityRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fidelity table, row by row, on the embedded operator: every row of
 * {@code src/test/resources/fidelity/} (honoured or refused) holds on one shared lab, each row in a
 * namespace of its own, the rows checked side by side. {@code FluxFidelityK3sIT} runs the honoured
 * rows against real Flux. Once every row has been checked, the same lab shows what the table cannot
 * say in a row: the kustomize-controller's whole reconcile in its {@code kubectl logs}, repeated
 * events counted and combined, and a helm-controller pod refusing its kind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FluxFidelityIT {
  @TempDir static Path tmp;
  static FidelityRun run;
  static RunningLab lab;
  static Path ws;

  static Path rowsDir() {
    return Cli.projectRoot().resolve("workshop/src/test/resources/fidelity");
  }

  @BeforeAll
  static void labWithEveryRowStarted() throws Exception {
    var rows = FidelityRow.load(rowsDir());
    lab = RunningLab.up(tmp);
    ws = lab.cloneWorkshop(tmp.resolve("workspace"));
    lab.installOperator(ws);
    await("GitRepository flux-system/workshop ready").atMost(Duration.ofSeconds(60)).until(() -> "True".equals(
        lab.kubectl("-n", "flux-system", "get", "gitrepository", "workshop", "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().strip()));
    run = FidelityRun.start(lab, ws, rows);
  }

  @AfterAll
  static void down() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  /** First: the tests below change the workshop repository's revision, which rows may not see. */
  @TestFactory
  @Order(1)
  Stream<DynamicTest> everyRowHoldsOnTheEmbeddedOperator() {
    return run.tests(r -> r.where() + " (" + r.verdict() + ")");
  }

  static Cli.Result kubectlWithInput(String yaml, String... args) {
    return lab.cli().runWithInput(null, Map.of(), yaml, lab.kubectlCommand(args));
  }

  static String push(String file, String content) throws IOException {
    Path path = ws.resolve(file);
    if (content == null) {
      Files.delete(path);
    } else {
      Files.createDirectories(path.getParent());
      Files.writeString(path, content);
    }
    Cli cli = lab.cli();
    cli.git(ws, "add", "-A").ok();
    cli.git(ws, "commit", "-q", "-m", "change " + file).ok();
    cli.git(ws, "push", "-q", "origin", "main").ok();
    return "main@sha1:" + cli.git(ws, "rev-parse", "HEAD").ok().out().strip();
  }

  /**
   * The kustomize-controller's lines through {@code kubectl logs}, as JSON, with a message starting
   * so and this revision (null: any), of Kustomization {@code flux-system/workshop} or of no object.
   */
  static List<JsonNode> lines(String msgStart, String revision, String... flags) {
    List<String> args = new ArrayList<>(List.of("-n", "flux-system", "logs", "deploy/kustomize-controller"));
    args.addAll(List.of(flags));
    List<JsonNode> found = new ArrayList<>();
    for (String line : lab.kubectl(args.toArray(String[]::new)).ok().out().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode j = Mappers.JSON.readTree(line);
        boolean ofWorkshop = !j.has("name") || "workshop".equals(j.path("name").asText()); // a controller's own lines name nothing
        if (j.path("msg").asText().startsWith(msgStart) && (revision == null || revision.equals(j.path("revision").asText())) && ofWorkshop) {
          found.add(j);
        }
      } catch (IOException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return found;
  }

  @Test
  @Order(2)
  void theKustomizeControllerLogsEachReconcileAsFluxDoes() throws Exception {
    String revision = push("deploy/kubernetes/podinfo-dep.yaml", Files.readString(ws.resolve("examples/podinfo-dep.yaml")));
    await("a finished reconcile of " + revision + " in kubectl logs deploy/kustomize-controller").atMost(Duration.ofSeconds(30))
        .until(() -> !lines("Reconciliation finished in ", revision, "--since=5m").isEmpty());
    JsonNode finished = lines("Reconciliation finished in ", revision).get(0);
    assertEquals("info", finished.path("level").asText());
    assertTrue(finished.path("msg").asText().endsWith(", next run in 1m0s"), finished.toString());
    assertEquals("Kustomization", finished.path("controllerKind").asText());
    assertEquals("workshop", finished.at("/Kustomization/name").asText());
    assertEquals("flux-system", finished.path("namespace").asText());
    JsonNode applied = lines("server-side apply completed", revision).get(0);
    assertEquals("created", applied.at("/output/Deployment~1default~1podinfo").asText(), applied.toString());
    assertEquals(finished.path("reconcileID").asText(), applied.path("reconcileID").asText(), "one reconcile, one ID");
    // "Starting workers" is not looked for: the rows' reconciles outran the 256 KB the kubelet keeps of a run

    String broken = push("deploy/kubernetes/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: no-namespace}\n");
    await("a failed reconcile of " + broken).atMost(Duration.ofSeconds(30))
        .until(() -> !lines("Reconciliation failed after ", broken, "--tail=20").isEmpty());
    JsonNode failed = lines("Reconciliation failed after ", broken).get(0);
    assertEquals("error", failed.path("level").asText());
    assertTrue(failed.path("msg").asText().endsWith(", next try in 1m0s"), failed.toString());
    assertTrue(failed.path("error").asText().contains("ConfigMap/no-namespace namespace not specified"), failed.toString());
    push("deploy/kubernetes/broken.yaml", null);
  }

  @Test
  @Order(3)
  void repeatedEventsAreCountedAndSimilarOnesCombinedAsClientGoDoes() throws Exception {
    kubectlWithInput("""
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: chatty, namespace: flux-system}
        spec: {interval: 1h, sourceRef: {kind: GitRepository, name: workshop}, path: ./deploy/kubernetes, prune: false, targetNamespace: chatty}
        """, "apply", "-f", "-").ok();
    lab.kubectl("create", "namespace", "chatty").ok();
    for (int i = 1; i <= Events.SIMILAR + 2; i++) {
      String request = "request-" + i;
      lab.kubectl("-n", "flux-system", "annotate", "kustomization", "chatty", "reconcile.fluxcd.io/requestedAt=" + request, "--overwrite").ok();
      await("reconcile request " + i + " handled").atMost(Duration.ofSeconds(30)).until(() -> request.equals(
          lab.kubectl("-n", "flux-system", "get", "kustomization", "chatty", "-o", "jsonpath={.status.lastHandledReconcileAt}").out()));
    }
    // similar: the same object, type and reason (whether the first reconcile found the namespace,
    // and so also reported what it created, depends on timing: that event counts as similar too)
    List<JsonNode> similar = new ArrayList<>();
    for (JsonNode e : Mappers.JSON.readTree(lab.kubectl("-n", "flux-system", "get", "events", "-o", "json").ok().out()).path("items")) {
      if ("chatty".equals(e.at("/involvedObject/name").asText()) && "ReconciliationSucceeded".equals(e.path("reason").asText())) {
        similar.add(e);
      }
    }
    List<JsonNode> combined = similar.stream().filter(e -> e.path("message").asText().startsWith(Events.COMBINED)).toList();
    assertEquals(1, combined.size(), similar.toString());
    assertTrue(combined.get(0).path("message").asText().contains("Reconciliation finished in "), combined.toString());
    assertTrue(combined.get(0).path("count").asInt() >= 2, combined.toString());
    assertEquals(Events.SIMILAR, similar.size(), "nine single ones, then one that combines the rest: " + similar);
    assertTrue(combined.get(0).at("/metadata/annotations").path("kustomize.toolkit.fluxcd.io/revision").asText().startsWith("main@sha1:"));
  }

  @Test
  @Order(4)
  void aHelmControllerPodRefusesItsKindAsTheSourceControllerDoes() throws Exception {
    kubectlWithInput("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: helm-pod}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmRepository
        metadata: {name: podinfo, namespace: helm-pod}
        spec: {interval: 10m, url: "https://stefanprodan.github.io/podinfo"}
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: podinfo, namespace: helm-pod}
        spec:
          interval: 10m
          chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
        """, "apply", "-f", "-").ok();
    String readyJsonpath = "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].reason}";
    await("HelmRelease refused by the source-controller's pod").atMost(Duration.ofSeconds(30)).until(() -> "False UnsupportedKind".equals(
        lab.kubectl("-n", "helm-pod", "get", "helmrelease", "podinfo", "-o", readyJsonpath).out()));

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
        .until(() -> lab.kubectl("-n", "flux-system", "logs", "deploy/helm-controller").out().contains("starting manager"));
    lab.kubectl("-n", "helm-pod", "annotate", "helmrelease", "podinfo", "reconcile.fluxcd.io/requestedAt=now", "--overwrite").ok();
    await("the request handled").atMost(Duration.ofSeconds(30)).until(() -> "now".equals(
        lab.kubectl("-n", "helm-pod", "get", "helmrelease", "podinfo", "-o", "jsonpath={.status.lastHandledReconcileAt}").out()));
    assertEquals("False UnsupportedKind", lab.kubectl("-n", "helm-pod", "get", "helmrelease", "podinfo", "-o", readyJsonpath).out());
  }
}
