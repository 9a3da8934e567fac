package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ContainerLog;
import dev.gitopsworkshop.cluster.embedded.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One container of a pod as the kubelet follows it: running since when and until when, how it
 * ended, how often it restarted, and when it may start again; and its entry of
 * {@code status.containerStatuses}.
 */
final class ContainerRun {
  final String name;
  final JsonNode spec;
  final SimulatedCommand command;
  volatile long startedAt;
  volatile long endsAt = Long.MAX_VALUE;
  volatile long notBefore;
  volatile int restarts;
  volatile String containerId;
  volatile ContainerLog log = ContainerLog.DISCARD;
  /** How the last run ended (lastState), null before any. */
  volatile ObjectNode lastTerminated;
  /** How it ended for good (state), null while it may still run. */
  volatile ObjectNode finalState;
  /** Why it waits to start again (CrashLoopBackOff), null otherwise. */
  volatile String backOffMessage;
  /** Whether its readiness probe passes (true when it has none). */
  volatile boolean probeReady = true;
  /** The podinfo stand-in that answers for it, null for a simulated container. */
  volatile dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoStandIn standIn;
  volatile Prober.State readiness;
  volatile Prober.State liveness;

  ContainerRun(JsonNode spec) {
    this.name = spec.path("name").asText();
    this.spec = spec;
    this.command = SimulatedCommand.of(spec);
  }

  boolean running() {
    return startedAt > 0;
  }

  boolean done() {
    return finalState != null;
  }

  int exitCode() {
    return finalState == null ? 0 : finalState.path("exitCode").asInt();
  }

  void started(long now, String restartPolicy, ContainerLog log) {
    startedAt = now;
    backOffMessage = null;
    this.log = log;
    containerId = "containerd://" + Long.toHexString(System.nanoTime()) + Integer.toHexString(System.identityHashCode(this));
    endsAt = command.endless(restartPolicy) ? Long.MAX_VALUE : now + command.millis();
    readiness = null;
    liveness = null;
    probeReady = true;
  }

  /** Runs as a podinfo stand-in from now on, its probes executed against it. */
  void answeredBy(dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoStandIn standIn, long now) {
    this.standIn = standIn;
    endsAt = Long.MAX_VALUE;
    if (spec.path("readinessProbe").isObject()) {
      readiness = new Prober.State("Readiness", spec.path("readinessProbe"), now);
      probeReady = false;
    }
    if (spec.path("livenessProbe").isObject()) {
      liveness = new Prober.State("Liveness", spec.path("livenessProbe"), now);
    }
  }

  /** The run ended with the command's exit code; returns the terminated state. */
  ObjectNode ended(long now) {
    return ended(now, command.exitCode());
  }

  /** The run ended with {@code code} (137: the kubelet killed it); returns the terminated state. */
  ObjectNode ended(long now, int code) {
    ObjectNode t = Json.object();
    t.put("exitCode", code);
    t.put("reason", code == 0 ? "Completed" : "Error");
    t.put("startedAt", stamp(startedAt));
    t.put("finishedAt", stamp(now));
    t.put("containerID", containerId);
    startedAt = 0;
    endsAt = Long.MAX_VALUE;
    standIn = null;
    return t;
  }

  /** The entry of status.containerStatuses for this container. */
  ObjectNode status(String image, String imageId, boolean podRunningReady) {
    ObjectNode s = Json.object();
    s.put("name", name);
    s.put("image", image);
    s.put("imageID", imageId);
    boolean ready = running() && probeReady && podRunningReady;
    s.put("ready", ready);
    s.put("started", running());
    s.put("restartCount", restarts);
    if (containerId != null) {
      s.put("containerID", containerId);
    }
    ObjectNode state = s.putObject("state");
    if (finalState != null) {
      state.set("terminated", finalState.deepCopy());
    } else if (running()) {
      state.putObject("running").put("startedAt", stamp(startedAt));
    } else if (backOffMessage != null) {
      state.putObject("waiting").put("reason", "CrashLoopBackOff").put("message", backOffMessage);
    } else {
      state.putObject("waiting").put("reason", "ContainerCreating");
    }
    if (lastTerminated != null) {
      s.putObject("lastState").set("terminated", lastTerminated.deepCopy());
    } else {
      s.putObject("lastState");
    }
    return s;
  }

  static String stamp(long millis) {
    return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
