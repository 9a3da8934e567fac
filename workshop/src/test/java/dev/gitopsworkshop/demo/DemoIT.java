package dev.gitopsworkshop.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.support.Urls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instructor's demos as an instructor runs them: the packaged tool against a lab that {@code up}
 * runs in another process, after {@code run --auto --to 4}; the real kubectl and git look at the
 * result. One lab for the class, the demos in the order a session would show them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {
  Path tmp;
  RunningLab lab;

  @BeforeAll
  void up(@TempDir Path dir) throws Exception {
    tmp = dir;
    lab = RunningLab.up(tmp);
  }

  @AfterAll
  void down() throws Exception {
    lab.close();
  }

  Cli.Result demo(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "demo";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--data-dir=" + lab.dataDir();
    return lab.cli().run(tmp, lab.cli().workshop(all));
  }

  String podinfo(String jsonpath) {
    return lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath=" + jsonpath).out().strip();
  }

  String gitHead() {
    return lab.cli().git(null, "ls-remote", Urls.withCredentials(lab.lab().gitUrl(), lab.lab().gitUsername(), lab.lab().gitPassword()),
        "refs/heads/main").ok().out().split("\\s")[0];
  }

  @Test
  @Order(1)
  void beforeStepFourTheDemosSayWhichStepsToDoFirst() throws Exception {
    Cli.Result noFlux = demo("drift");
    assertEquals(1, noFlux.exitCode(), noFlux.toString());
    assertTrue(noFlux.err().contains("Flux is not installed in this lab's cluster"), noFlux.err());
    assertTrue(noFlux.err().contains("do the tutorial up to step 4 first: ") && noFlux.err().contains("scripts/workshop run --auto --to 4 "
        + "--data-dir " + lab.dataDir()), "a command that works pasted, with the lab's data dir: " + noFlux.err());

    HttpResponse<String> replace = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(lab.lab().get("console", "url") + "/control/cluster/replace")).POST(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + lab.lab().get("console", "token")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(409, replace.statusCode(), "no cluster is thrown away that Git could not bring back: " + replace.body());
    assertTrue(replace.body().contains("never synced") && replace.body().contains("run --auto --to 4"), replace.body());

    lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--to", "3", "--data-dir=" + lab.dataDir())).ok();
    for (String demo : new String[] {"drift", "disaster", "rollback"}) {
      Cli.Result r = demo(demo);
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.err().contains("podinfo is not synced by Flux yet"), r.err());
      assertTrue(r.err().contains("scripts/workshop run --auto --to 4 --data-dir " + lab.dataDir()), r.err());
    }
  }

  @Test
  @Order(2)
  void withoutALabTheDemosSayToStartOne() {
    Cli.Result r = lab.cli().run(tmp, lab.cli().workshop("demo", "drift", "--data-dir=" + tmp.resolve("nothing-here")));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("no lab is running in"), r.err());
    assertTrue(r.err().contains("scripts/workshop up --data-dir " + tmp.resolve("nothing-here")), r.err());
  }

  @Test
  @Order(2)
  void anImageTagTheRegistryDoesNotHaveFailsToPullAndItsDeploymentIsNotAvailable() throws Exception {
    Path manifest = tmp.resolve("broken.yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: broken, namespace: default}
        spec:
          replicas: 1
          selector: {matchLabels: {app: broken}}
          template:
            metadata: {labels: {app: broken}}
            spec:
              containers: [{name: podinfo, image: "ghcr.io/stefanprodan/podinfo:6.5.99"}]
        """);
    lab.kubectl("apply", "-f", manifest.toString()).ok();
    org.awaitility.Awaitility.await("kubectl get pods shows the pull failure").atMost(java.time.Duration.ofSeconds(30))
        .until(() -> lab.kubectl("get", "pods", "-l", "app=broken").out().matches("(?s).*broken-\\S+\\s+0/1\\s+(ErrImagePull|ImagePullBackOff)\\s.*"));
    assertEquals("False", lab.kubectl("get", "deployment", "broken", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Available\")].status}").ok().out().strip());
    String available = lab.kubectl("get", "deployment", "broken", "-o", "jsonpath={.status.availableReplicas}").ok().out().strip();
    assertTrue(available.isEmpty() || available.equals("0"), "nothing available: " + available);
    lab.kubectl("delete", "-f", manifest.toString()).ok();
  }

  @Test
  @Order(2)
  void theControlEndpointsNeedTheConsoleTokenAndSayWhatIsWrong() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI nudge = URI.create(lab.lab().get("console", "url") + "/control/nudge");
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(nudge).PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(nudge).PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":\"maybe\"}"))
        .header("Authorization", "Bearer " + lab.lab().get("console", "token")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode(), bad.body());
    assertTrue(bad.body().contains("needs {\\\"enabled\\\": true|false}"), bad.body());
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(lab.lab().get("console", "url") + "/control/operator/restore"))
        .header("Authorization", "Bearer " + lab.lab().get("console", "token")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, get.statusCode(), get.body());
    assertTrue(get.body().contains("GET /control/operator/restore is not served") && get.body().contains("use POST"), get.body());
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(lab.lab().get("console", "url") + "/control/cluster/replace"))
        .PUT(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + lab.lab().get("console", "token")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, put.statusCode(), put.body());
    assertTrue(put.body().contains("use POST to start, GET to follow"), put.body());
  }

  @Test
  @Order(3)
  void driftWithNudgesHealsAtOnceAndShowsEachStage() {
    lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--from", "4", "--to", "4", "--data-dir=" + lab.dataDir())).ok();
    String uid = podinfo("{.metadata.uid}");
    Cli.Result r = demo("drift").ok();
    for (String stage : new String[] {"change made: kubectl delete deployment podinfo", "drift seen: deployment/podinfo",
        "reconcile requested: the lab set reconcile.fluxcd.io/requestedAt", "applied: Flux created deployment/podinfo again",
        "pods Ready: 1/1 available", "change made: kubectl scale deployment podinfo --replicas=3",
        "applied: Flux set spec.replicas back to 1", "the extra pods are gone"}) {
      assertTrue(r.out().contains(stage), stage + " in\n" + r.out());
    }
    assertTrue(r.out().matches("(?s).*\\+\\d+\\.\\d{3}s\\s+change made.*"), r.out());
    assertTrue(r.out().matches("(?s).*deleted: healed in \\d+\\.\\d s; scaled by hand: healed in \\d+\\.\\d s.*"), r.out());
    assertNotEquals(uid, podinfo("{.metadata.uid}"), "podinfo was really deleted and made again");
    assertEquals("1", podinfo("{.status.availableReplicas}"));
    assertEquals("1", podinfo("{.spec.replicas}"));
  }

  @Test
  @Order(4)
  void driftWithNudgesOffCountsDownToTheIntervalAndHealsThenAndTheLabNudgesAgainAfter() throws Exception {
    lab.kubectl("-n", "flux-system", "patch", "kustomization", "workshop", "--type=merge", "-p", "{\"spec\":{\"interval\":\"5s\"}}").ok();
    Cli.Result r = demo("drift", "--nudge", "off").ok();
    assertTrue(r.out().contains("nudges are off: nobody asks Flux to look now; it runs every 5s, next in about"), r.out());
    assertTrue(r.out().contains("Flux runs again in") || r.out().contains("its next run is due now"), r.out());
    assertTrue(r.out().contains("applied: Flux created deployment/podinfo again from Git"), r.out());
    assertTrue(r.out().contains("applied: Flux set spec.replicas back to 1 from Git"), r.out());
    assertFalse(r.out().contains("reconcile requested"), "nobody asked Flux: " + r.out());
    assertTrue(r.out().contains("deleted: healed in"), r.out());
    assertEquals("1", podinfo("{.status.availableReplicas}"));

    HttpResponse<String> nudges = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(lab.lab().get("console", "url") + "/control/nudge"))
        .header("Authorization", "Bearer " + lab.lab().get("console", "token")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("{\"enabled\":true}", nudges.body().strip(), "the lab's own setting is back");
    lab.kubectl("-n", "flux-system", "patch", "kustomization", "workshop", "--type=merge", "-p", "{\"spec\":{\"interval\":\"1m\"}}").ok();
  }

  @Test
  @Order(5)
  void rollbackShowsThePullFailureFindsTheLastGoodCommitAndRevertsIt() throws Exception {
    Cli.Result r = demo("rollback").ok();
    assertTrue(r.out().contains("ErrImagePull") || r.out().contains("ImagePullBackOff"), r.out());
    assertTrue(r.out().contains("rollout stuck"), r.out());
    assertTrue(r.out().contains("Add podinfo  (ghcr.io/stefanprodan/podinfo:6.5.0)  <- last good"), r.out());
    assertTrue(r.out().matches("(?s).*git revert --no-edit [0-9a-f]{7}.*"), r.out());
    assertTrue(r.out().contains("rolled back in"), r.out());
    assertTrue(r.out().matches("(?s).*The audit trail is Git's log.*\\n +[0-9a-f]{7} [-0-9]+ [:0-9]+ Participant: "
        + "Revert \"Update podinfo to 6.5.99\".*"), "who and when, as git tells it (the author from git's environment): " + r.out());

    assertEquals("ghcr.io/stefanprodan/podinfo:6.5.0", podinfo("{.spec.template.spec.containers[0].image}"));
    assertEquals("1", podinfo("{.status.availableReplicas}"));
    assertEquals("1", podinfo("{.status.replicas}"), "no pod of the bad image is left");
    Path clone = lab.cloneWorkshop(tmp.resolve("audit"));
    String log = lab.cli().git(clone, "log", "--format=%s", "-2").ok().out();
    assertEquals("Revert \"Update podinfo to 6.5.99\"\nUpdate podinfo to 6.5.99\n", log, "the audit trail is Git's log");
    assertTrue(Files.readString(clone.resolve("deploy/kubernetes/podinfo-dep.yaml")).contains("podinfo:6.5.0"));
    assertTrue(Files.isDirectory(lab.dataDir().resolve("demos/rollback/.git")), "its own clone, under the data dir");
  }

  @Test
  @Order(6)
  void disasterReplacesTheClusterAndEverythingComesBackFromGitWhichIsUntouched() {
    String head = gitHead();
    String uid = podinfo("{.metadata.uid}");
    Cli.Result r = demo("disaster").ok();
    assertTrue(r.out().contains("cluster replaced: a new, empty embedded cluster"), r.out());
    assertTrue(r.out().contains("operator installed again from Git's flux/"), r.out());
    assertTrue(r.out().contains("everything Flux had applied is back: 1 of 1 objects"), r.out());
    assertTrue(r.out().contains("Git untouched: main still at " + head.substring(0, 7)), r.out());
    assertTrue(r.out().contains("converged back from Git in"), r.out());

    assertEquals(head, gitHead());
    assertNotEquals(uid, podinfo("{.metadata.uid}"), "a new cluster, a new podinfo");
    assertEquals("1", podinfo("{.status.availableReplicas}"));
    assertEquals("main@sha1:" + head, lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o",
        "jsonpath={.status.lastAppliedRevision}").ok().out().strip());

    Cli.Result again = demo("drift").ok();
    assertTrue(again.out().contains("reconcile requested"), "the lab's nudges work on the new cluster: " + again.out());
  }

  @Test
  @Order(7)
  void theReplacementRanOffTheRequestAndItsOutcomeCanBeRead() throws Exception {
    HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(lab.lab().get("console", "url") + "/control/cluster/replace"))
        .header("Authorization", "Bearer " + lab.lab().get("console", "token")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, state.statusCode(), state.body());
    assertTrue(state.body().contains("\"state\":\"done\"") && state.body().contains("a new, empty embedded cluster"), state.body());
    String log = Files.readString(lab.dataDir().resolve("lab.log"));
    assertTrue(log.contains("[cluster-replacement] ClusterReplacement - cluster replaced: a new, empty embedded cluster"),
        "the replacement ran on its own thread, as the lab's log shows");
  }
}
