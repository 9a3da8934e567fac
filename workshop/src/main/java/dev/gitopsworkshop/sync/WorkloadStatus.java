package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * kstatus' rules for the workload kinds, from their status counts and conditions: Deployment,
 * ReplicaSet, StatefulSet, DaemonSet, Pod, and Job as Flux's own Job reader judges it (Current only
 * once complete). Called by {@link Kstatus} after its generic rules.
 */
final class WorkloadStatus {
  /** How long a pod may stay unschedulable before kstatus calls it failed. */
  private static final long SCHEDULE_WINDOW_MILLIS = 15_000;

  private WorkloadStatus() {}

  static Kstatus.Result deployment(JsonNode o) {
    boolean progressing = !o.at("/spec/progressDeadlineSeconds").canConvertToInt();
    boolean available = false;
    for (JsonNode c : o.at("/status/conditions")) {
      String type = c.path("type").asText();
      if (type.equals("Progressing")) {
        if ("ProgressDeadlineExceeded".equals(c.path("reason").asText())) {
          return Kstatus.Result.failed("Progress deadline exceeded");
        }
        if ("True".equals(c.path("status").asText()) && "NewReplicaSetAvailable".equals(c.path("reason").asText())) {
          progressing = true;
        }
      } else if (type.equals("Available") && "True".equals(c.path("status").asText())) {
        available = true;
      }
    }
    int spec = o.at("/spec/replicas").asInt(1);
    int replicas = o.at("/status/replicas").asInt(0);
    int updated = o.at("/status/updatedReplicas").asInt(0);
    int ready = o.at("/status/readyReplicas").asInt(0);
    int availableReplicas = o.at("/status/availableReplicas").asInt(0);
    if (spec > replicas) {
      return Kstatus.Result.inProgress("Replicas: " + replicas + "/" + spec);
    }
    if (spec > updated) {
      return Kstatus.Result.inProgress("Updated: " + updated + "/" + spec);
    }
    if (replicas > spec) {
      return Kstatus.Result.inProgress("Pending termination: " + (replicas - spec));
    }
    if (updated > availableReplicas) {
      return Kstatus.Result.inProgress("Available: " + availableReplicas + "/" + updated);
    }
    if (spec > ready) {
      return Kstatus.Result.inProgress("Ready: " + ready + "/" + spec);
    }
    if (!progressing) {
      return Kstatus.Result.inProgress("ReplicaSet not Available");
    }
    if (!available) {
      return Kstatus.Result.inProgress("Deployment not Available");
    }
    return Kstatus.Result.current("Deployment is available. Replicas: " + replicas);
  }

  static Kstatus.Result replicaSet(JsonNode o) {
    for (JsonNode c : o.at("/status/conditions")) {
      if ("ReplicaFailure".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return Kstatus.Result.inProgress("Replica Failure condition. Check Pods");
      }
    }
    int spec = o.at("/spec/replicas").asInt(1);
    int replicas = o.at("/status/replicas").asInt(0);
    int labelled = o.at("/status/fullyLabeledReplicas").asInt(0);
    int available = o.at("/status/availableReplicas").asInt(0);
    int ready = o.at("/status/readyReplicas").asInt(0);
    if (spec > labelled) {
      return Kstatus.Result.inProgress("Labelled: " + labelled + "/" + spec);
    }
    if (spec > available) {
      return Kstatus.Result.inProgress("Available: " + available + "/" + spec);
    }
    if (spec > ready) {
      return Kstatus.Result.inProgress("Ready: " + ready + "/" + spec);
    }
    if (replicas > spec) {
      return Kstatus.Result.inProgress("Pending termination: " + (replicas - spec));
    }
    return Kstatus.Result.current("ReplicaSet is available. Replicas: " + replicas);
  }

  static Kstatus.Result statefulSet(JsonNode o) {
    if ("OnDelete".equals(o.at("/spec/updateStrategy/type").asText())) {
      return Kstatus.Result.current("StatefulSet is using the ondelete update strategy");
    }
    int spec = o.at("/spec/replicas").asInt(1);
    int ready = o.at("/status/readyReplicas").asInt(0);
    int current = o.at("/status/currentReplicas").asInt(0);
    int updated = o.at("/status/updatedReplicas").asInt(0);
    int replicas = o.at("/status/replicas").asInt(0);
    int partition = o.at("/spec/updateStrategy/rollingUpdate/partition").asInt(-1);
    if (spec > replicas) {
      return Kstatus.Result.inProgress("Replicas: " + replicas + "/" + spec);
    }
    if (spec > ready) {
      return Kstatus.Result.inProgress("Ready: " + ready + "/" + spec);
    }
    if (replicas > spec) {
      return Kstatus.Result.inProgress("Pending termination: " + (replicas - spec));
    }
    if (partition != -1) {
      if (updated < spec - partition) {
        return Kstatus.Result.inProgress("updated: " + updated + "/" + (spec - partition));
      }
      return Kstatus.Result.current("Partition rollout complete. updated: " + updated);
    }
    if (spec > current) {
      return Kstatus.Result.inProgress("current: " + current + "/" + spec);
    }
    if (!o.at("/status/currentRevision").asText("").equals(o.at("/status/updateRevision").asText(""))) {
      return Kstatus.Result.inProgress("Waiting for updated revision to match current");
    }
    return Kstatus.Result.current("All replicas scheduled as expected. Replicas: " + replicas);
  }

  static Kstatus.Result daemonSet(JsonNode o) {
    if (!o.at("/metadata/generation").canConvertToLong()) {
      return Kstatus.Result.inProgress("DaemonSet metadata.generation not found");
    }
    if (!o.at("/status/observedGeneration").canConvertToLong()) {
      return Kstatus.Result.inProgress("DaemonSet status.observedGeneration not found");
    }
    if (!o.at("/status/desiredNumberScheduled").canConvertToInt()) {
      return Kstatus.Result.inProgress("Missing .status.desiredNumberScheduled");
    }
    int desired = o.at("/status/desiredNumberScheduled").asInt();
    int current = o.at("/status/currentNumberScheduled").asInt(0);
    int updated = o.at("/status/updatedNumberScheduled").asInt(0);
    int available = o.at("/status/numberAvailable").asInt(0);
    int ready = o.at("/status/numberReady").asInt(0);
    if (desired > current) {
      return Kstatus.Result.inProgress("Current: " + current + "/" + desired);
    }
    if (desired > updated) {
      return Kstatus.Result.inProgress("Updated: " + updated + "/" + desired);
    }
    if (desired > available) {
      return Kstatus.Result.inProgress("Available: " + available + "/" + desired);
    }
    if (desired > ready) {
      return Kstatus.Result.inProgress("Ready: " + ready + "/" + desired);
    }
    return Kstatus.Result.current("All replicas scheduled as expected. Replicas: " + desired);
  }

  static Kstatus.Result pod(JsonNode o) {
    String phase = o.at("/status/phase").asText("");
    switch (phase) {
      case "Succeeded":
        return Kstatus.Result.current("Pod has completed successfully");
      case "Failed":
        return Kstatus.Result.current("Pod has completed, but not successfully");
      case "Running": {
        JsonNode ready = Kstatus.condition(o, "Ready");
        if (ready != null && "True".equals(ready.path("status").asText())) {
          return Kstatus.Result.current("Pod is Ready");
        }
        List<String> crashing = new ArrayList<>();
        for (JsonNode cs : o.at("/status/containerStatuses")) {
          if ("CrashLoopBackOff".equals(cs.at("/state/waiting/reason").asText())) {
            crashing.add(cs.path("name").asText());
          }
        }
        if (!crashing.isEmpty()) {
          return Kstatus.Result.failed("Containers in CrashLoop state: " + String.join(",", crashing));
        }
        return Kstatus.Result.inProgress("Pod is running but is not Ready");
      }
      case "Pending": {
        JsonNode scheduled = Kstatus.condition(o, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.path("status").asText())
            && "Unschedulable".equals(scheduled.path("reason").asText())) {
          if (System.currentTimeMillis() - created(o) < SCHEDULE_WINDOW_MILLIS) {
            return Kstatus.Result.inProgress("Pod has not been scheduled");
          }
          return Kstatus.Result.failed("Pod could not be scheduled");
        }
        return Kstatus.Result.inProgress("Pod is in the Pending phase");
      }
      case "":
        return Kstatus.Result.inProgress("Pod phase not available");
      default:
        return new Kstatus.Result(Kstatus.Status.Unknown, "unknown phase " + phase);
    }
  }

  /** As Flux's own Job reader judges it: Current only once complete (or suspended). */
  static Kstatus.Result job(JsonNode o) {
    if (o.at("/spec/suspend").asBoolean(false)) {
      return Kstatus.Result.current("Job is suspended");
    }
    int parallelism = o.at("/spec/parallelism").asInt(1);
    int completions = o.at("/spec/completions").asInt(parallelism);
    int succeeded = o.at("/status/succeeded").asInt(0);
    int active = o.at("/status/active").asInt(0);
    int failed = o.at("/status/failed").asInt(0);
    for (JsonNode c : o.at("/status/conditions")) {
      boolean isTrue = "True".equals(c.path("status").asText());
      if ("Complete".equals(c.path("type").asText()) && isTrue) {
        return Kstatus.Result.current("Job Completed. succeeded: " + succeeded + "/" + completions);
      }
      if ("Failed".equals(c.path("type").asText()) && isTrue) {
        return Kstatus.Result.failed("Job Failed. failed: " + failed + "/" + completions);
      }
    }
    if (o.at("/status/startTime").asText("").isEmpty()) {
      return Kstatus.Result.inProgress("Job not started. active: 0/" + parallelism);
    }
    return Kstatus.Result.inProgress("Job in progress. success:" + succeeded + ", active: " + active + ", failed: " + failed);
  }

  private static long created(JsonNode o) {
    try {
      return Instant.parse(o.at("/metadata/creationTimestamp").asText()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return System.currentTimeMillis();
    }
  }
}
