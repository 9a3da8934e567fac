package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitOps loop on the embedded cluster, as a participant drives it: the real git and kubectl
 * against {@code workshop up}, the operator installed from the workshop repository's flux/. The
 * steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsLoopIT {
  @TempDir static Path tmp;
  static RunningLab lab;
  static Path ws;
  static Cli git;

  @BeforeAll
  static void labWithOperator() throws Exception {
    lab = RunningLab.up(tmp);
    git = lab.cli();
    ws = lab.cloneWorkshop(tmp.resolve("workspace"));
    lab.installOperator(ws);
    await("GitRepository ready").atMost(Duration.ofSeconds(30))
        .until(() -> "True".equals(ready("gitrepository", "workshop")));
  }

  @AfterAll
  static void down() throws Exception {
    lab.close();
  }

  static String ready(String kind, String name) {
    return lab.kubectl("-n", "flux-system", "get", kind, name, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().strip();
  }

  static String readyMessage() {
    return lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}").out();
  }

  static String head() {
    return git.git(ws, "rev-parse", "HEAD").ok().out().strip();
  }

  static void commitAndPush(String message) {
    git.git(ws, "add", "-A").ok();
    git.git(ws, "commit", "-q", "-m", message).ok();
    git.git(ws, "push", "-q", "origin", "main").ok();
  }

  static String deploy(String jsonpath) {
    return lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath=" + jsonpath).out().strip();
  }

  static void awaitApplied(String description) {
    String revision = "main@sha1:" + head();
    await(description).atMost(Duration.ofSeconds(30)).until(() -> lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop",
        "-o", "jsonpath={.status.lastAppliedRevision}").out().strip().equals(revision) && "True".equals(ready("kustomization", "workshop")));
  }

  @Test
  @Order(1)
  void pushingPodinfoGivesAReadyPodAtThePushedRevision() throws Exception {
    Files.copy(ws.resolve("examples/podinfo-dep.yaml"), ws.resolve("deploy/kubernetes/podinfo-dep.yaml"));
    commitAndPush("Add podinfo");
    awaitApplied("podinfo applied at the pushed revision");
    await("podinfo available").atMost(Duration.ofSeconds(30)).until(() -> "1".equals(deploy("{.status.availableReplicas}")));
    assertEquals("Applied revision: main@sha1:" + head(), readyMessage());
  }

  @Test
  @Order(2)
  void aDeletedDeploymentComesBackWithANewUid() {
    String before = deploy("{.metadata.uid}");
    lab.kubectl("delete", "deployment", "podinfo").ok();
    await("podinfo recreated").atMost(Duration.ofSeconds(30)).until(() -> {
      String uid = deploy("{.metadata.uid}");
      return !uid.isEmpty() && !uid.equals(before);
    });
    await("podinfo available again").atMost(Duration.ofSeconds(30)).until(() -> "1".equals(deploy("{.status.availableReplicas}")));
    assertNotEquals("", lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o",
        "jsonpath={.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}").ok().out(), "the drift nudged the Kustomization");
  }

  @Test
  @Order(3)
  void fourReplicasPushedGiveFourReadyPods() throws Exception {
    Path file = ws.resolve("deploy/kubernetes/podinfo-dep.yaml");
    Files.writeString(file, Files.readString(file).replace("replicas: 1", "replicas: 4"));
    commitAndPush("Scale podinfo to 4");
    awaitApplied("replicas 4 applied");
    await("4 ready pods").atMost(Duration.ofSeconds(30)).until(() -> "4".equals(deploy("{.status.readyReplicas}")));
  }

  @Test
  @Order(4)
  void aDeploymentScaledByHandIsPutBackToWhatGitSays() {
    String requested = "jsonpath={.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}";
    String before = lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o", requested).ok().out();
    lab.kubectl("scale", "deployment", "podinfo", "--replicas=2").ok();
    await("replicas back to Git's 4").atMost(Duration.ofSeconds(30)).until(() -> "4".equals(deploy("{.spec.replicas}")));
    assertNotEquals(before, lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o", requested).ok().out(),
        "the change of spec nudged the Kustomization");
  }

  @Test
  @Order(5)
  void badCommitsAreReportedAndChangeNothingUntilAGoodOne() throws Exception {
    lab.kubectl("create", "configmap", "made-by-hand", "--from-literal=a=b").ok();
    String uid = deploy("{.metadata.uid}");

    Files.writeString(ws.resolve("deploy/kubernetes/broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata: [oops\n");
    commitAndPush("Broken YAML");
    await("invalid YAML reported").atMost(Duration.ofSeconds(30)).until(() -> "False".equals(ready("kustomization", "workshop")));
    String message = readyMessage();
    assertTrue(message.contains("deploy/kubernetes/broken.yaml") && message.contains("expected"), message);

    Files.writeString(ws.resolve("deploy/kubernetes/broken.yaml"), "apiVersion: example.com/v1\nkind: Frobnicator\nmetadata:\n  name: f\n  namespace: default\n");
    commitAndPush("Unknown kind");
    await("unknown kind reported").atMost(Duration.ofSeconds(30)).until(() -> readyMessage().contains("Frobnicator"));

    Files.writeString(ws.resolve("deploy/kubernetes/broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nowhere\ndata: {a: b}\n");
    commitAndPush("No namespace");
    await("missing namespace reported").atMost(Duration.ofSeconds(30)).until(() -> readyMessage().contains("namespace not specified"));

    assertEquals(uid, deploy("{.metadata.uid}"), "the running podinfo is untouched");
    assertEquals("4", deploy("{.spec.replicas}"));
    assertNotEquals("", lab.kubectl("get", "configmap", "made-by-hand", "-o", "name").out().strip());

    Files.delete(ws.resolve("deploy/kubernetes/broken.yaml"));
    commitAndPush("Remove the broken file");
    awaitApplied("a good commit makes it Ready again");
    assertEquals(uid, deploy("{.metadata.uid}"));
  }

  @Test
  @Order(6)
  void fluxObjectsShowReadyAndStatusColumns() {
    String out = lab.kubectl("get", "gitrepositories,kustomizations", "-A").ok().out();
    assertTrue(out.lines().anyMatch(l -> l.matches("NAMESPACE\\s+NAME\\s+URL\\s+AGE\\s+READY\\s+STATUS")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("NAMESPACE\\s+NAME\\s+AGE\\s+READY\\s+STATUS")), out);
    assertTrue(out.contains("stored artifact for revision 'main@sha1:"), out);
    assertTrue(out.contains("Applied revision: main@sha1:"), out);

    Cli.Result status = lab.cli().run(null, lab.cli().workshop("status", "-o", "json", "--data-dir=" + lab.dataDir()));
    String json = status.ok().out();
    assertTrue(json.contains("\"head\" : \"" + head() + "\""), json);
    assertTrue(json.contains("\"revision\" : \"main@sha1:" + head() + "\""), json);
    assertTrue(json.contains("\"name\" : \"podinfo\""), json);
    String text = lab.cli().run(null, lab.cli().workshop("status", "--data-dir=" + lab.dataDir())).ok().out();
    assertTrue(text.contains("Kustomization") && text.contains("default/podinfo"), text);
  }

  @Test
  @Order(7)
  void aFileRemovedFromGitIsPrunedAndHandMadeObjectsStay() {
    git.git(ws, "rm", "-q", "deploy/kubernetes/podinfo-dep.yaml").ok();
    git.git(ws, "commit", "-q", "-m", "Remove podinfo").ok();
    git.git(ws, "push", "-q", "origin", "main").ok();
    awaitApplied("removal applied");
    await("podinfo pruned").atMost(Duration.ofSeconds(30)).until(() -> lab.kubectl("get", "deployment", "podinfo").exitCode() != 0);
    assertEquals("configmap/made-by-hand", lab.kubectl("get", "configmap", "made-by-hand", "-o", "name").ok().out().strip());
  }

  @Test
  @Order(8)
  void aLabKilledAndStartedAgainConvergesItsNewClusterToGit() throws Exception {
    Files.copy(ws.resolve("examples/podinfo-dep.yaml"), ws.resolve("deploy/kubernetes/podinfo-dep.yaml"));
    commitAndPush("Add podinfo back");
    awaitApplied("podinfo back in Git");
    lab.kill();
    lab = RunningLab.up(tmp, tmp.resolve("lab"));
    await("podinfo back in the new, empty cluster").atMost(Duration.ofSeconds(60))
        .until(() -> "1".equals(deploy("{.status.availableReplicas}")));
    awaitApplied("the new cluster at Git's revision");
    assertTrue(lab.kubectl("get", "configmap", "made-by-hand").exitCode() != 0, "hand-made objects are not in Git, so not back");
  }
}
