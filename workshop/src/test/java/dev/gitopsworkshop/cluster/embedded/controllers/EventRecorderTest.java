package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  private final ResourceStore store = new ResourceStore();
  private final ResourceTypes types = new ResourceTypes();
  private final ResourceType events = types.byPlural("", "v1", "events").orElseThrow();
  private final ResourceType namespaces = types.byPlural("", "v1", "namespaces").orElseThrow();
  private final EventRecorder recorder = new EventRecorder(store, types);

  private ObjectNode deployment() {
    ObjectNode d = Sim.deployment("podinfo", 1, "ghcr.io/stefanprodan/podinfo:6.5.0");
    d.with("metadata").put("uid", "u-1").put("resourceVersion", "7");
    return d;
  }

  private List<ObjectNode> stored() {
    return store.list(events, "default", null).items();
  }

  @Test
  void writesAnEventAboutTheObjectLikeKubeControllerManager() {
    store.create(namespaces, Sim.yaml("{metadata: {name: default}}"), false);
    recorder.normal(deployment(), "deployment-controller", "ScalingReplicaSet", "Scaled up replica set podinfo-abc from 0 to 1");
    ObjectNode e = stored().get(0);
    assertTrue(e.at("/metadata/name").asText().startsWith("podinfo."));
    assertEquals("Deployment", e.at("/involvedObject/kind").asText());
    assertEquals("apps/v1", e.at("/involvedObject/apiVersion").asText());
    assertEquals("u-1", e.at("/involvedObject/uid").asText());
    assertEquals("deployment-controller", e.at("/source/component").asText());
    assertEquals("deployment-controller", e.path("reportingComponent").asText());
    assertEquals("Normal", e.path("type").asText());
    assertEquals(1, e.path("count").asInt());
    assertEquals(e.path("firstTimestamp").asText(), e.path("lastTimestamp").asText());
  }

  @Test
  void theSameEventAgainRaisesItsCount() {
    store.create(namespaces, Sim.yaml("{metadata: {name: default}}"), false);
    recorder.warning(deployment(), "kubelet", "BackOff", "Back-off pulling image");
    recorder.warning(deployment(), "kubelet", "BackOff", "Back-off pulling image");
    recorder.warning(deployment(), "kubelet", "BackOff", "something else");
    assertEquals(2, stored().size());
    assertEquals(2, stored().stream().filter(e -> e.path("message").asText().equals("Back-off pulling image"))
        .findFirst().orElseThrow().path("count").asInt());
  }

  @Test
  void writesNothingIntoAMissingOrTerminatingNamespace() {
    recorder.normal(deployment(), "deployment-controller", "ScalingReplicaSet", "gone");
    store.create(namespaces, Sim.yaml("{metadata: {name: default}, spec: {finalizers: [kubernetes]}}"), false);
    store.delete(namespaces, null, "default", null, false);
    recorder.normal(deployment(), "deployment-controller", "ScalingReplicaSet", "terminating");
    assertEquals(0, stored().size());
  }
}
