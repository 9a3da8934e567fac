package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
  private static final String IMAGE = "ghcr.io/stefanprodan/podinfo:6.5.0";
  private final Sim sim = new Sim();

  @AfterEach
  void stop() {
    sim.close();
  }

  private List<ObjectNode> replicaSets() {
    return sim.list(sim.replicaSets(), "default", rs -> rs.at("/metadata/name").asText().startsWith("podinfo-"));
  }

  private ObjectNode replicaSetWithImage(String image) {
    return replicaSets().stream()
        .filter(rs -> image.equals(rs.at("/spec/template/spec/containers/0/image").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("no ReplicaSet with " + image));
  }

  private void setImage(String image) {
    sim.edit(sim.deployments(), "default", "podinfo", d -> {
      ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", image);
      return d;
    });
  }

  @Test
  void createsOneReplicaSetNamedByTheTemplateHashAndOwnedByTheDeployment() {
    ObjectNode d = sim.create(sim.deployments(), Sim.deployment("podinfo", 1, IMAGE));
    sim.awaitRolledOut("podinfo");
    List<ObjectNode> sets = replicaSets();
    assertEquals(1, sets.size());
    ObjectNode rs = sets.get(0);
    String hash = rs.at("/metadata/labels/pod-template-hash").asText();
    assertEquals("podinfo-" + hash, rs.at("/metadata/name").asText());
    assertEquals(hash, rs.at("/spec/selector/matchLabels/pod-template-hash").asText());
    assertEquals(hash, rs.at("/spec/template/metadata/labels/pod-template-hash").asText());
    assertEquals(DeploymentController.templateHash(d.at("/spec/template")), hash);
    JsonNode owner = rs.at("/metadata/ownerReferences/0");
    assertEquals(d.at("/metadata/uid").asText(), owner.path("uid").asText());
    assertTrue(owner.path("controller").asBoolean() && owner.path("blockOwnerDeletion").asBoolean());
    assertEquals("1", rs.at("/metadata/annotations").path("deployment.kubernetes.io/revision").asText());
  }

  @Test
  void reportsAvailableAndProgressedAsKubeControllerManagerDoes() {
    sim.create(sim.deployments(), Sim.deployment("podinfo", 2, IMAGE));
    sim.awaitRolledOut("podinfo");
    await("Progressing says the new ReplicaSet progressed").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ObjectNode d = sim.get(sim.deployments(), "default", "podinfo");
      String rsName = replicaSets().get(0).at("/metadata/name").asText();
      JsonNode progressing = Sim.conditionOf(d, "Progressing");
      assertEquals("NewReplicaSetAvailable", progressing.path("reason").asText());
      assertEquals("ReplicaSet \"" + rsName + "\" has successfully progressed.", progressing.path("message").asText());
      JsonNode available = Sim.conditionOf(d, "Available");
      assertEquals("MinimumReplicasAvailable", available.path("reason").asText());
      assertEquals("Deployment has minimum availability.", available.path("message").asText());
      assertEquals(2, d.at("/status/replicas").asInt());
      assertEquals(2, d.at("/status/updatedReplicas").asInt());
      assertEquals(2, d.at("/status/readyReplicas").asInt());
      assertEquals(2, d.at("/status/availableReplicas").asInt());
      assertTrue(d.at("/status/unavailableReplicas").isMissingNode());
      assertEquals(d.at("/metadata/generation").asLong(), d.at("/status/observedGeneration").asLong());
    });
    List<ObjectNode> scaled = sim.events("ScalingReplicaSet");
    assertEquals("Scaled up replica set " + replicaSets().get(0).at("/metadata/name").asText() + " from 0 to 2",
        scaled.get(0).path("message").asText());
    assertEquals("deployment-controller", scaled.get(0).at("/source/component").asText());
    assertEquals("Deployment", scaled.get(0).at("/involvedObject/kind").asText());
  }

  @Test
  void scalingChangesTheReplicaSetAndThePods() {
    sim.create(sim.deployments(), Sim.deployment("podinfo", 1, IMAGE));
    sim.awaitRolledOut("podinfo");
    sim.edit(sim.deployments(), "default", "podinfo", d -> {
      d.with("spec").put("replicas", 4);
      return d;
    });
    sim.awaitRolledOut("podinfo");
    assertEquals(4, sim.podsOf("podinfo").size());
    assertEquals(4, replicaSets().get(0).at("/spec/replicas").asInt());
  }

  @Test
  void rollingUpdateStaysWithinMaxSurgeAndMaxUnavailable() throws Exception {
    sim.create(sim.deployments(), Sim.deployment("podinfo", 4, IMAGE));
    sim.awaitRolledOut("podinfo");
    AtomicInteger most = new AtomicInteger();
    AtomicInteger fewestReady = new AtomicInteger(4);
    Set<String> pods = new HashSet<>();
    Set<String> ready = new HashSet<>();
    sim.podsOf("podinfo").forEach(p -> {
      pods.add(p.at("/metadata/name").asText());
      ready.add(p.at("/metadata/name").asText());
    });
    AtomicBoolean watching = new AtomicBoolean(true);
    ResourceStore.Subscription sub = sim.store.watch(sim.pods(), "default", null, 0);
    Thread counter = new Thread(() -> {
      try {
        while (watching.get()) {
          WatchEvent e = sub.poll(100, TimeUnit.MILLISECONDS);
          if (e == null) {
            continue;
          }
          String name = e.object().at("/metadata/name").asText();
          if (e.type().equals(WatchEvent.DELETED)) {
            pods.remove(name);
            ready.remove(name);
          } else {
            pods.add(name);
            if (Sim.condition(e.object(), "Ready", "True")) {
              ready.add(name);
            }
          }
          most.accumulateAndGet(pods.size(), Math::max);
          fewestReady.accumulateAndGet(ready.size(), Math::min);
        }
      } catch (InterruptedException ignored) {
        // done
      }
    });
    counter.start();
    setImage("ghcr.io/stefanprodan/podinfo:6.5.1");
    await("new ReplicaSet has all replicas").atMost(Duration.ofSeconds(20))
        .until(() -> replicaSetWithImage("ghcr.io/stefanprodan/podinfo:6.5.1").at("/status/availableReplicas").asInt() == 4
            && replicaSetWithImage(IMAGE).at("/status/replicas").asInt() == 0);
    sim.awaitRolledOut("podinfo");
    watching.set(false);
    counter.join();
    sub.close();
    assertTrue(most.get() <= 5, "at most 4 + 25% surge pods at once, saw " + most.get());
    assertTrue(fewestReady.get() >= 3, "at least 4 - 25% ready pods at once, saw " + fewestReady.get());
    assertEquals(0, replicaSetWithImage(IMAGE).at("/spec/replicas").asInt(), "old ReplicaSet kept at zero");
    assertEquals("2", replicaSetWithImage("ghcr.io/stefanprodan/podinfo:6.5.1").at("/metadata/annotations")
        .path("deployment.kubernetes.io/revision").asText());
  }

  @Test
  void rollbackReusesTheOldReplicaSetWithTheNextRevision() {
    sim.create(sim.deployments(), Sim.deployment("podinfo", 1, IMAGE));
    sim.awaitRolledOut("podinfo");
    String first = replicaSetWithImage(IMAGE).at("/metadata/name").asText();
    setImage("ghcr.io/stefanprodan/podinfo:6.5.1");
    sim.awaitRolledOut("podinfo");
    setImage(IMAGE);
    await("old ReplicaSet back at revision 3 with the pod").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ObjectNode rs = replicaSetWithImage(IMAGE);
      assertEquals(first, rs.at("/metadata/name").asText());
      assertEquals("3", rs.at("/metadata/annotations").path("deployment.kubernetes.io/revision").asText());
      assertEquals("1", rs.at("/metadata/annotations").path("deployment.kubernetes.io/revision-history").asText());
      assertEquals(1, rs.at("/status/availableReplicas").asInt());
    });
    sim.awaitRolledOut("podinfo");
    assertEquals(2, replicaSets().size());
    assertEquals("3", sim.get(sim.deployments(), "default", "podinfo").at("/metadata/annotations")
        .path("deployment.kubernetes.io/revision").asText());
  }

  @Test
  void keepsOnlyRevisionHistoryLimitOldReplicaSets() {
    ObjectNode d = Sim.deployment("podinfo", 1, IMAGE);
    d.with("spec").put("revisionHistoryLimit", 1);
    sim.create(sim.deployments(), d);
    for (String tag : List.of("6.5.1", "6.5.2", "6.5.3")) {
      sim.awaitRolledOut("podinfo");
      setImage("ghcr.io/stefanprodan/podinfo:" + tag);
    }
    sim.awaitRolledOut("podinfo");
    await("one old ReplicaSet left besides the new one").atMost(Duration.ofSeconds(20))
        .until(() -> replicaSets().size() == 2);
    replicaSetWithImage("ghcr.io/stefanprodan/podinfo:6.5.2");
    replicaSetWithImage("ghcr.io/stefanprodan/podinfo:6.5.3");
  }

  @Test
  void pausedDeploymentDoesNotRollOutUntilResumed() {
    sim.create(sim.deployments(), Sim.deployment("podinfo", 1, IMAGE));
    sim.awaitRolledOut("podinfo");
    sim.edit(sim.deployments(), "default", "podinfo", d -> {
      d.with("spec").put("paused", true);
      ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "ghcr.io/stefanprodan/podinfo:6.5.1");
      return d;
    });
    await("paused shown on Progressing").atMost(Duration.ofSeconds(20)).until(() ->
        "DeploymentPaused".equals(Sim.conditionOf(sim.get(sim.deployments(), "default", "podinfo"), "Progressing").path("reason").asText()));
    assertEquals(1, replicaSets().size(), "no ReplicaSet for the new template while paused");
    assertEquals(1, replicaSetWithImage(IMAGE).at("/spec/replicas").asInt());
    sim.edit(sim.deployments(), "default", "podinfo", d -> {
      d.with("spec").put("paused", false);
      return d;
    });
    await("rolled out once resumed").atMost(Duration.ofSeconds(20)).until(() ->
        replicaSetWithImage(IMAGE).at("/spec/replicas").asInt() == 0
            && replicaSetWithImage("ghcr.io/stefanprodan/podinfo:6.5.1").at("/status/availableReplicas").asInt() == 1);
  }

  @Test
  void aRolloutStuckOnAMissingImageExceedsItsProgressDeadline() {
    sim.runtimes.images(image -> !image.endsWith(":9.9.9"));
    sim.create(sim.deployments(), Sim.deployment("podinfo", 1, IMAGE));
    sim.awaitRolledOut("podinfo");
    sim.edit(sim.deployments(), "default", "podinfo", d -> {
      d.with("spec").put("progressDeadlineSeconds", 1);
      ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", "ghcr.io/stefanprodan/podinfo:9.9.9");
      return d;
    });
    await("Progressing False with ProgressDeadlineExceeded").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ObjectNode d = sim.get(sim.deployments(), "default", "podinfo");
      JsonNode progressing = Sim.conditionOf(d, "Progressing");
      assertEquals("False", progressing.path("status").asText());
      assertEquals("ProgressDeadlineExceeded", progressing.path("reason").asText());
      String rsName = replicaSetWithImage("ghcr.io/stefanprodan/podinfo:9.9.9").at("/metadata/name").asText();
      assertEquals("ReplicaSet \"" + rsName + "\" has timed out progressing.", progressing.path("message").asText());
      assertTrue(Sim.condition(d, "Available", "True"), "the old pod still serves");
    });
  }
}
