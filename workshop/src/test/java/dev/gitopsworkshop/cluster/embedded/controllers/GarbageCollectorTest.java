package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
  private final Sim sim = new Sim();

  @AfterEach
  void stop() {
    sim.close();
  }

  private ObjectNode configMap(String name, String ownerUid) {
    ObjectNode cm = Sim.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: " + name + ", namespace: default}}");
    if (ownerUid != null) {
      cm.with("metadata").putArray("ownerReferences").addObject()
          .put("apiVersion", "v1").put("kind", "ConfigMap").put("name", "owner").put("uid", ownerUid);
    }
    return cm;
  }

  @Test
  void deletingADeploymentDeletesItsReplicaSetsAndTheirPods() {
    sim.create(sim.deployments(), Sim.deployment("podinfo", 3, "ghcr.io/stefanprodan/podinfo:6.5.0"));
    sim.awaitRolledOut("podinfo");
    sim.store.delete(sim.deployments(), "default", "podinfo", null, false);
    await("ReplicaSets and Pods of podinfo gone").atMost(Duration.ofSeconds(20)).until(() ->
        sim.list(sim.replicaSets(), "default", null).isEmpty() && sim.podsOf("podinfo").isEmpty());
  }

  @Test
  void collectsDependentsOfAnyKindTransitively() {
    ResourceType configMaps = sim.type("", "configmaps");
    ObjectNode owner = sim.create(configMaps, configMap("owner", null));
    ObjectNode child = sim.create(configMaps, configMap("child", owner.at("/metadata/uid").asText()));
    sim.create(configMaps, configMap("grandchild", child.at("/metadata/uid").asText()));
    sim.create(configMaps, configMap("bystander", null));
    sim.store.delete(configMaps, "default", "owner", null, false);
    await("child and grandchild collected").atMost(Duration.ofSeconds(20)).until(() ->
        sim.store.get(configMaps, "default", "child").isEmpty() && sim.store.get(configMaps, "default", "grandchild").isEmpty());
    assertTrue(sim.store.get(configMaps, "default", "bystander").isPresent());
  }

  @Test
  void collectsOrphansFoundAtStartUpAndOnesCreatedForAGoneOwner() {
    ResourceStore store = new ResourceStore();
    ResourceTypes types = new ResourceTypes();
    ResourceType configMaps = types.byPlural("", "v1", "configmaps").orElseThrow();
    store.create(configMaps, configMap("orphan", "00000000-0000-0000-0000-000000000001"), false);
    try (Workloads w = Workloads.start(store, types, "https://127.0.0.1:1", "token", null, 20, new ContainerRuntimes(), new dev.gitopsworkshop.cluster.embedded.NodeRuntime())) {
      await("orphan collected at start-up").atMost(Duration.ofSeconds(20)).until(() ->
          store.get(configMaps, "default", "orphan").isEmpty());
      store.create(configMaps, configMap("late", "00000000-0000-0000-0000-000000000002"), false);
      await("object of a gone owner collected").atMost(Duration.ofSeconds(20)).until(() ->
          store.get(configMaps, "default", "late").isEmpty());
    }
  }
}
