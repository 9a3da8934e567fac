package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceControllerTest {
  private final Sim sim = new Sim();
  private final ResourceType services = sim.type("", "services");

  @AfterEach
  void stop() {
    sim.close();
  }

  private void service(String name, String type, String clusterIp) {
    ObjectNode svc = Sim.yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec: {type: %s, selector: {app: podinfo}, ports: [{port: 9898, targetPort: 9898, protocol: TCP}]}
        """.formatted(name, type));
    if (clusterIp != null) {
      svc.with("spec").put("clusterIP", clusterIp);
    }
    sim.create(services, svc);
  }

  private ObjectNode awaitClusterIp(String name) {
    await(name + " has a ClusterIP").atMost(Duration.ofSeconds(20)).until(() ->
        !sim.get(services, "default", name).at("/spec/clusterIP").asText().isEmpty());
    return sim.get(services, "default", name);
  }

  @Test
  void givesEachServiceItsOwnClusterIp() {
    Set<String> ips = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      service("s" + i, "ClusterIP", null);
    }
    for (int i = 0; i < 20; i++) {
      String ip = awaitClusterIp("s" + i).at("/spec/clusterIP").asText();
      assertTrue(ip.startsWith("10.43."), ip);
      ips.add(ip);
    }
    ips.add("10.43.0.1");
    assertEquals(21, ips.size(), "unique, and not the kubernetes Service's");
  }

  @Test
  void headlessServiceKeepsNone() {
    service("headless", "ClusterIP", "None");
    service("after", "ClusterIP", null);
    awaitClusterIp("after");
    assertEquals("None", sim.get(services, "default", "headless").at("/spec/clusterIP").asText());
  }

  @Test
  void nodePortServiceGetsAPortInTheNodePortRange() {
    service("np", "NodePort", null);
    await("node port assigned").atMost(Duration.ofSeconds(20)).until(() ->
        sim.get(services, "default", "np").at("/spec/ports/0/nodePort").asInt() > 0);
    int port = sim.get(services, "default", "np").at("/spec/ports/0/nodePort").asInt();
    assertTrue(port >= 30000 && port <= 32767, String.valueOf(port));
  }
}
