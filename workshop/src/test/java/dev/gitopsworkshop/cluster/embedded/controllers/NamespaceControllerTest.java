package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamespaceControllerTest {
  private final Sim sim = new Sim();
  private final ResourceType namespaces = sim.type("", "namespaces");
  private final ResourceType configMaps = sim.type("", "configmaps");

  @AfterEach
  void stop() {
    sim.close();
  }

  private void namespace(String name) {
    sim.create(namespaces, Sim.yaml("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: %s}
        spec: {finalizers: [kubernetes]}
        status: {phase: Active}
        """.formatted(name)));
  }

  @Test
  void newNamespaceGetsItsDefaultServiceAccount() {
    namespace("team");
    await("default ServiceAccount in team").atMost(Duration.ofSeconds(20)).until(() ->
        sim.store.get(sim.type("", "serviceaccounts"), "team", "default").isPresent());
  }

  @Test
  void deletingANamespaceShowsTerminatingDeletesItsObjectsThenTheNamespace() {
    namespace("team");
    ObjectNode d = Sim.deployment("podinfo", 2, "ghcr.io/stefanprodan/podinfo:6.5.0");
    d.with("metadata").put("namespace", "team");
    sim.create(sim.deployments(), d);
    ObjectNode held = Sim.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: held, namespace: team, finalizers: [example.com/hold]}}");
    sim.create(configMaps, held);
    await("podinfo pods in team").atMost(Duration.ofSeconds(20)).until(() ->
        sim.list(sim.pods(), "team", null).size() == 2);
    ObjectNode deleting = sim.store.delete(namespaces, null, "team", null, false);
    assertEquals("Terminating", deleting.at("/status/phase").asText());
    await("everything but the held ConfigMap gone").atMost(Duration.ofSeconds(20)).until(() ->
        sim.list(sim.pods(), "team", null).isEmpty() && sim.list(sim.deployments(), "team", null).isEmpty()
            && sim.list(sim.type("", "serviceaccounts"), "team", null).isEmpty());
    assertTrue(sim.store.get(namespaces, null, "team").isPresent(), "held by the ConfigMap's finalizer");
    sim.edit(configMaps, "team", "held", cm -> {
      cm.with("metadata").remove("finalizers");
      return cm;
    });
    await("namespace team gone").atMost(Duration.ofSeconds(20)).until(() -> sim.store.get(namespaces, null, "team").isEmpty());
  }

  @Test
  void systemNamespacesAndTheNodeAreThereFromTheStart() {
    for (String ns : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
      ObjectNode o = sim.get(namespaces, null, ns);
      assertEquals("Active", o.at("/status/phase").asText());
      await("default ServiceAccount in " + ns).atMost(Duration.ofSeconds(20)).until(() ->
          sim.store.get(sim.type("", "serviceaccounts"), ns, "default").isPresent());
    }
    ObjectNode node = sim.get(sim.type("", "nodes"), null, "workshop");
    assertTrue(Sim.condition(node, "Ready", "True"));
    assertTrue(node.at("/status/nodeInfo/kubeletVersion").asText().startsWith("v1.33."));
    assertEquals("linux", node.at("/metadata/labels").path("kubernetes.io/os").asText());
    assertTrue(node.at("/metadata/labels").has("node-role.kubernetes.io/control-plane"));
    assertEquals("InternalIP", node.at("/status/addresses/0/type").asText());
    assertEquals("110", node.at("/status/allocatable/pods").asText());
    assertTrue(ResourceStore.resource(namespaces).endsWith("namespaces"));
  }
}
