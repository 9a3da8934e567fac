package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
  private final Sim sim = new Sim();

  @AfterEach
  void stop() {
    sim.close();
  }

  private ObjectNode replicaSet(int replicas) {
    return sim.create(sim.replicaSets(), Sim.yaml("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web, namespace: default}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, tier: front}}
            spec: {containers: [{name: web, image: nginx:1.27}]}
        """.formatted(replicas)));
  }

  private void awaitStatus(int replicas) {
    await("ReplicaSet status shows " + replicas + " ready").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ObjectNode rs = sim.get(sim.replicaSets(), "default", "web");
      assertEquals(replicas, rs.at("/status/replicas").asInt(-1));
      assertEquals(replicas, rs.at("/status/fullyLabeledReplicas").asInt(-1));
      assertEquals(replicas, rs.at("/status/readyReplicas").asInt(-1));
      assertEquals(replicas, rs.at("/status/availableReplicas").asInt(-1));
      assertEquals(rs.at("/metadata/generation").asLong(), rs.at("/status/observedGeneration").asLong());
    });
  }

  @Test
  void keepsSpecReplicasPodsNamedAfterItWithTheTemplateLabels() {
    ObjectNode rs = replicaSet(3);
    awaitStatus(3);
    List<ObjectNode> pods = sim.podsOf("web");
    assertEquals(3, pods.size());
    for (ObjectNode p : pods) {
      assertTrue(p.at("/metadata/name").asText().matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"), p.at("/metadata/name").asText());
      assertEquals("front", p.at("/metadata/labels/tier").asText());
      assertEquals(rs.at("/metadata/uid").asText(), p.at("/metadata/ownerReferences/0/uid").asText());
      assertEquals("ReplicaSet", p.at("/metadata/ownerReferences/0/kind").asText());
    }
    assertEquals(3, sim.events("SuccessfulCreate").size());
    assertTrue(sim.events("SuccessfulCreate").get(0).path("message").asText().startsWith("Created pod: web-"));
  }

  @Test
  void replacesADeletedPod() {
    replicaSet(2);
    awaitStatus(2);
    String gone = sim.podsOf("web").get(0).at("/metadata/name").asText();
    sim.store.delete(sim.pods(), "default", gone, null, false);
    await("a new pod in place of " + gone).atMost(Duration.ofSeconds(20)).until(() ->
        sim.podsOf("web").size() == 2
            && sim.podsOf("web").stream().noneMatch(p -> p.at("/metadata/name").asText().equals(gone)));
    awaitStatus(2);
  }

  @Test
  void scalingDownDeletesNotReadyPodsFirst() {
    replicaSet(2);
    awaitStatus(2);
    sim.runtimes.images(image -> !image.equals("nginx:broken"));
    ObjectNode stuck = Sim.yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web-stuck, namespace: default, labels: {app: web}}
        spec: {containers: [{name: web, image: "nginx:broken"}]}
        """);
    stuck.with("metadata").putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
        .put("name", "web").put("uid", sim.get(sim.replicaSets(), "default", "web").at("/metadata/uid").asText())
        .put("controller", true);
    sim.create(sim.pods(), stuck);
    await("the not-ready pod deleted").atMost(Duration.ofSeconds(20)).until(() ->
        sim.store.get(sim.pods(), "default", "web-stuck").isEmpty());
    awaitStatus(2);
    assertFalse(sim.events("SuccessfulDelete").isEmpty());
    assertEquals("Deleted pod: web-stuck", sim.events("SuccessfulDelete").get(0).path("message").asText());
  }
}
