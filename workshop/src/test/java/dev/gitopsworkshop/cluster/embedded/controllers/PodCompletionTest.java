package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ContainerLogs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Containers that end: restart policies, pod phases, exit codes and what they wrote. */
class PodCompletionTest {
  private final Sim sim = new Sim();

  @AfterEach
  void stop() {
    sim.close();
  }

  private ObjectNode pod(String name, String restartPolicy, String command) {
    return sim.create(sim.pods(), Sim.yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          restartPolicy: %s
          containers: [{name: main, image: busybox, command: %s}]
        """.formatted(name, restartPolicy, command)));
  }

  private ObjectNode get(String name) {
    return sim.get(sim.pods(), "default", name);
  }

  private String phase(String name) {
    return get(name).at("/status/phase").asText();
  }

  private List<String> lines(String name, boolean previous) {
    String uid = get(name).at("/metadata/uid").asText();
    var run = previous ? sim.node.logs().previous(uid, "main") : sim.node.logs().current(uid, "main");
    return run.map(r -> r.lines().stream().map(ContainerLogs.Line::text).toList()).orElse(List.of());
  }

  @Test
  void aNeverPodThatExitsZeroSucceedsWithItsOutput() {
    pod("hello", "Never", "[sh, -c, 'echo hello; echo world']");
    await("hello Succeeded").atMost(Duration.ofSeconds(20)).until(() -> phase("hello").equals("Succeeded"));
    JsonNode terminated = get("hello").at("/status/containerStatuses/0/state/terminated");
    assertEquals(0, terminated.path("exitCode").asInt());
    assertEquals("Completed", terminated.path("reason").asText());
    assertFalse(Sim.condition(get("hello"), "Ready", "True"));
    assertEquals("PodCompleted", Sim.conditionOf(get("hello"), "Ready").path("reason").asText());
    assertEquals(List.of("hello", "world"), lines("hello", false));
  }

  @Test
  void aNeverPodThatExitsNonZeroFails() {
    pod("broken", "Never", "[sh, -c, 'echo oops; exit 3']");
    await("broken Failed").atMost(Duration.ofSeconds(20)).until(() -> phase("broken").equals("Failed"));
    JsonNode terminated = get("broken").at("/status/containerStatuses/0/state/terminated");
    assertEquals(3, terminated.path("exitCode").asInt());
    assertEquals("Error", terminated.path("reason").asText());
    assertEquals(0, get("broken").at("/status/containerStatuses/0/restartCount").asInt());
  }

  @Test
  void anOnFailurePodRestartsAFailedContainerAndKeepsThePreviousOutput() {
    pod("retry", "OnFailure", "[sh, -c, 'echo attempt; exit 1']");
    await("restarted once").atMost(Duration.ofSeconds(30)).until(() ->
        get("retry").at("/status/containerStatuses/0/restartCount").asInt() >= 1);
    JsonNode status = get("retry").at("/status/containerStatuses/0");
    assertEquals("Error", status.at("/lastState/terminated/reason").asText());
    assertEquals("Running", phase("retry"));
    assertEquals(List.of("attempt"), lines("retry", false), "the ended run stays readable while the container backs off");
    assertTrue(sim.events("BackOff").stream().anyMatch(e -> e.path("message").asText().contains("restarting failed container main")));
  }

  @Test
  void anAlwaysPodWhoseCommandEndsShowsCrashLoopBackOff() {
    pod("loop", "Always", "[sh, -c, 'echo bye']");
    await("CrashLoopBackOff").atMost(Duration.ofSeconds(20)).until(() ->
        "CrashLoopBackOff".equals(get("loop").at("/status/containerStatuses/0/state/waiting/reason").asText()));
    JsonNode status = get("loop").at("/status/containerStatuses/0");
    assertEquals("Completed", status.at("/lastState/terminated/reason").asText());
    assertTrue(status.at("/state/waiting/message").asText().startsWith("back-off 10s restarting failed container=main pod=loop_default("),
        status.toString());
    assertFalse(Sim.condition(get("loop"), "Ready", "True"));
  }

  @Test
  void aServerKeepsRunningAndWritesThatItIsSimulated() {
    pod("server", "Always", "[nginx, -g, 'daemon off;']");
    await("server ready").atMost(Duration.ofSeconds(20)).until(() -> Sim.condition(get("server"), "Ready", "True"));
    assertEquals("Running", phase("server"));
    assertTrue(lines("server", false).get(0).contains("simulated, the embedded cluster runs no containers"), lines("server", false).toString());
  }

  @Test
  void podinfoWritesItsOwnStartLines() {
    sim.create(sim.pods(), Sim.yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: podinfo, namespace: default}
        spec:
          containers: [{name: main, image: "ghcr.io/stefanprodan/podinfo:6.5.1", command: [./podinfo, --port=9898]}]
        """));
    await("podinfo logged").atMost(Duration.ofSeconds(20)).until(() -> lines("podinfo", false).size() >= 2);
    List<String> lines = lines("podinfo", false);
    assertTrue(lines.get(0).matches("\\{\"level\":\"info\",\"ts\":\"\\S+\",\"caller\":\"podinfo/main.go:\\d+\",\"msg\":\"Starting podinfo\","
        + "\"version\":\"6.5.1\",\"revision\":\"\\S+\",\"port\":\"9898\"}"), lines.get(0));
    assertTrue(lines.get(1).contains("\"msg\":\"Starting HTTP Server.\",\"addr\":\":9898\""), lines.get(1));
  }
}
