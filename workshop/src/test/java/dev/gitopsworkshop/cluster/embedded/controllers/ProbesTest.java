package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kubelet's probes, executed against the podinfo stand-in. */
class ProbesTest {
  private final Sim sim = new Sim();

  @AfterEach
  void stop() {
    sim.close();
  }

  private void podinfo(String name, String probes) {
    sim.create(sim.pods(), Sim.yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          containers:
          - name: podinfo
            image: ghcr.io/stefanprodan/podinfo:6.5.0
            command: [./podinfo, --port=9898]
            ports: [{name: http, containerPort: 9898}]
        %s
        """.formatted(name, probes.indent(4))));
  }

  private ObjectNode pod(String name) {
    return sim.get(sim.pods(), "default", name);
  }

  private boolean unhealthy(String name, String message) {
    return sim.events("Unhealthy").stream().anyMatch(e ->
        e.at("/involvedObject/name").asText().equals(name) && e.path("message").asText().equals(message));
  }

  @Test
  void aPassingReadinessProbeMakesThePodReady() {
    podinfo("ok", "readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 1}");
    await("ok ready").atMost(Duration.ofSeconds(20)).until(() -> Sim.condition(pod("ok"), "Ready", "True"));
  }

  @Test
  void aReadinessProbeOnAPathPodinfoDoesNotServeKeepsThePodUnready() {
    podinfo("wrong-path", "readinessProbe: {httpGet: {path: /ready, port: 9898}, periodSeconds: 1}");
    await("probe failed").atMost(Duration.ofSeconds(20)).until(() ->
        unhealthy("wrong-path", "Readiness probe failed: HTTP probe failed with statuscode: 404"));
    // the event is recorded before the kubelet writes the pod's status: wait for the status too
    await("Ready=False naming the container").atMost(Duration.ofSeconds(20)).until(() ->
        Sim.conditionOf(pod("wrong-path"), "Ready").path("message").asText().contains("containers with unready status: [podinfo]"));
    assertFalse(Sim.condition(pod("wrong-path"), "Ready", "True"));
  }

  @Test
  void aProbeOnAPortNothingListensOnIsRefused() {
    podinfo("wrong-port", "readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}");
    await("probe refused").atMost(Duration.ofSeconds(20)).until(() -> sim.events("Unhealthy").stream().anyMatch(e ->
        e.path("message").asText().matches("Readiness probe failed: dial tcp 10\\.42\\.\\d+\\.\\d+:8080: connect: connection refused")));
    assertFalse(Sim.condition(pod("wrong-port"), "Ready", "True"));
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() {
    podinfo("sick", "livenessProbe: {httpGet: {path: /nope, port: http}, periodSeconds: 1, failureThreshold: 1}");
    await("restarted").atMost(Duration.ofSeconds(20)).until(() ->
        pod("sick").at("/status/containerStatuses/0/restartCount").asInt() >= 1);
    assertTrue(sim.events("Killing").stream().anyMatch(e -> e.path("message").asText()
        .equals("Container podinfo failed liveness probe, will be restarted")));
  }
}
