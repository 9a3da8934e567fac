package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * An object's health as kstatus computes it for Flux's health checks: Current, InProgress, Failed,
 * Terminating or NotFound, with kstatus' message. The generic rules first (deletion, a generation
 * not yet observed, {@code Reconciling} and {@code Stalled} conditions), then the built-in kinds'
 * own rules (Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job as Flux's job reader judges
 * it, PVC, Service, CRD; ConfigMap, Secret, CronJob are always ready), then a {@code Ready}
 * condition, else Current.
 */
public final class Kstatus {
  /** kstatus' statuses, spelled as Flux's messages spell them. */
  public enum Status {
    InProgress, Failed, Current, Terminating, NotFound, Unknown
  }

  public record Result(Status status, String message) {
    static Result current(String message) {
      return new Result(Status.Current, message);
    }

    static Result inProgress(String message) {
      return new Result(Status.InProgress, message);
    }

    static Result failed(String message) {
      return new Result(Status.Failed, message);
    }
  }

  /** How long a pod may stay unschedulable before kstatus calls it failed. */
  private static final long SCHEDULE_WINDOW_MILLIS = 15_000;

  private Kstatus() {}

  /** The status of a live object; null is NotFound. */
  public static Result compute(JsonNode o) {
    if (o == null) {
      return new Result(Status.NotFound, "Resource not found");
    }
    Result generic = generic(o);
    if (generic != null) {
      return generic;
    }
    String apiVersion = o.path("apiVersion").asText();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = o.path("kind").asText();
    Result specific = switch (group + "/" + kind) {
      case "/Service" -> service(o);
      case "/Pod" -> pod(o);
      case "/Secret", "/ConfigMap", "batch/CronJob" -> Result.current("Resource is always ready");
      case "/PersistentVolumeClaim" -> "Bound".equals(o.at("/status/phase").asText())
          ? Result.current("PVC is Bound")
          : Result.inProgress("PVC is not Bound. phase: " + o.at("/status/phase").asText("unknown"));
      case "apps/StatefulSet" -> statefulSet(o);
      case "apps/DaemonSet" -> daemonSet(o);
      case "apps/Deployment" -> deployment(o);
      case "apps/ReplicaSet" -> replicaSet(o);
      case "policy/PodDisruptionBudget" -> Result.current("AllowedDisruptions has been computed.");
      case "batch/Job" -> job(o);
      case "apiextensions.k8s.io/CustomResourceDefinition" -> crd(o);
      default -> null;
    };
    if (specific != null) {
      return specific;
    }
    JsonNode ready = condition(o, "Ready");
    if (ready != null) {
      return "True".equals(ready.path("status").asText())
          ? Result.current("Resource is Ready")
          : Result.inProgress(ready.path("message").asText());
    }
    return Result.current("Resource is current");
  }

  private static Result generic(JsonNode o) {
    if (!o.at("/metadata/deletionTimestamp").asText("").isEmpty()) {
      return new Result(Status.Terminating, "Resource scheduled for deletion");
    }
    JsonNode generation = o.at("/metadata/generation");
    JsonNode observed = o.at("/status/observedGeneration");
    if (generation.canConvertToLong() && observed.canConvertToLong() && generation.asLong() != observed.asLong()) {
      return Result.inProgress(o.path("kind").asText() + " generation is " + generation.asLong()
          + ", but latest observed generation is " + observed.asLong());
    }
    for (JsonNode c : o.at("/status/conditions")) {
      if ("Reconciling".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return Result.inProgress(c.path("message").asText());
      }
      if ("Stalled".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return Result.failed(c.path("message").asText());
      }
    }
    return null;
  }

  private static Result deployment(JsonNode o) {
    boolean progressing = !o.at("/spec/progressDeadlineSeconds").canConvertToInt();
    boolean available = false;
    for (JsonNode c : o.at("/status/conditions")) {
      String type = c.path("type").asText();
      if (type.equals("Progressing")) {
        if ("ProgressDeadlineExceeded".equals(c.path("reason").asText())) {
          return Result.failed("Progress deadline exceeded");
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
      return Result.inProgress("Replicas: " + replicas + "/" + spec);
    }
    if (spec > updated) {
      return Result.inProgress("Updated: " + updated + "/" + spec);
    }
    if (replicas > spec) {
      return Result.inProgress("Pending termination: " + (replicas - spec));
    }
    if (updated > availableReplicas) {
      return Result.inProgress("Available: " + availableReplicas + "/" + updated);
    }
    if (spec > ready) {
      return Result.inProgress("Ready: " + ready + "/" + spec);
    }
    if (!progressing) {
      return Result.inProgress("ReplicaSet not Available");
    }
    if (!available) {
      return Result.inProgress("Deployment not Available");
    }
    return Result.current("Deployment is available. Replicas: " + replicas);
  }

  private static Result replicaSet(JsonNode o) {
    for (JsonNode c : o.at("/status/conditions")) {
      if ("ReplicaFailure".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return Result.inProgress("Replica Failure condition. Check Pods");
      }
    }
    int spec = o.at("/spec/replicas").asInt(1);
    int replicas = o.at("/status/replicas").asInt(0);
    int labelled = o.at("/status/fullyLabeledReplicas").asInt(0);
    int available = o.at("/status/availableReplicas").asInt(0);
    int ready = o.at("/status/readyReplicas").asInt(0);
    if (spec > labelled) {
      return Result.inProgress("Labelled: " + labelled + "/" + spec);
    }
    if (spec > available) {
      return Result.inProgress("Available: " + available + "/" + spec);
    }
    if (spec > ready) {
      return Result.inProgress("Ready: " + ready + "/" + spec);
    }
    if (replicas > spec) {
      return Result.inProgress("Pending termination: " + (replicas - spec));
    }
    return Result.current("ReplicaSet is available. Replicas: " + replicas);
  }

  private static Result statefulSet(JsonNode o) {
    if ("OnDelete".equals(o.at("/spec/updateStrategy/type").asText())) {
      return Result.current("StatefulSet is using the ondelete update strategy");
    }
    int spec = o.at("/spec/replicas").asInt(1);
    int ready = o.at("/status/readyReplicas").asInt(0);
    int current = o.at("/status/currentReplicas").asInt(0);
    int updated = o.at("/status/updatedReplicas").asInt(0);
    int replicas = o.at("/status/replicas").asInt(0);
    int partition = o.at("/spec/updateStrategy/rollingUpdate/partition").asInt(-1);
    if (spec > replicas) {
      return Result.inProgress("Replicas: " + replicas + "/" + spec);
    }
    if (spec > ready) {
      return Result.inProgress("Ready: " + ready + "/" + spec);
    }
    if (replicas > spec) {
      return Result.inProgress("Pending termination: " + (replicas - spec));
    }
    if (partition != -1) {
      if (updated < spec - partition) {
        return Result.inProgress("updated: " + updated + "/" + (spec - partition));
      }
      return Result.current("Partition rollout complete. updated: " + updated);
    }
    if (spec > current) {
      return Result.inProgress("current: " + current + "/" + spec);
    }
    if (!o.at("/status/currentRevision").asText("").equals(o.at("/status/updateRevision").asText(""))) {
      return Result.inProgress("Waiting for updated revision to match current");
    }
    return Result.current("All replicas scheduled as expected. Replicas: " + replicas);
  }

  private static Result daemonSet(JsonNode o) {
    if (!o.at("/metadata/generation").canConvertToLong()) {
      return Result.inProgress("DaemonSet metadata.generation not found");
    }
    if (!o.at("/status/observedGeneration").canConvertToLong()) {
      return Result.inProgress("DaemonSet status.observedGeneration not found");
    }
    if (!o.at("/status/desiredNumberScheduled").canConvertToInt()) {
      return Result.inProgress("Missing .status.desiredNumberScheduled");
    }
    int desired = o.at("/status/desiredNumberScheduled").asInt();
    int current = o.at("/status/currentNumberScheduled").asInt(0);
    int updated = o.at("/status/updatedNumberScheduled").asInt(0);
    int available = o.at("/status/numberAvailable").asInt(0);
    int ready = o.at("/status/numberReady").asInt(0);
    if (desired > current) {
      return Result.inProgress("Current: " + current + "/" + desired);
    }
    if (desired > updated) {
      return Result.inProgress("Updated: " + updated + "/" + desired);
    }
    if (desired > available) {
      return Result.inProgress("Available: " + available + "/" + desired);
    }
    if (desired > ready) {
      return Result.inProgress("Ready: " + ready + "/" + desired);
    }
    return Result.current("All replicas scheduled as expected. Replicas: " + desired);
  }

  private static Result pod(JsonNode o) {
    String phase = o.at("/status/phase").asText("");
    switch (phase) {
      case "Succeeded":
        return Result.current("Pod has completed successfully");
      case "Failed":
        return Result.current("Pod has completed, but not successfully");
      case "Running": {
        JsonNode ready = condition(o, "Ready");
        if (ready != null && "True".equals(ready.path("status").asText())) {
          return Result.current("Pod is Ready");
        }
        List<String> crashing = new ArrayList<>();
        for (JsonNode cs : o.at("/status/containerStatuses")) {
          if ("CrashLoopBackOff".equals(cs.at("/state/waiting/reason").asText())) {
            crashing.add(cs.path("name").asText());
          }
        }
        if (!crashing.isEmpty()) {
          return Result.failed("Containers in CrashLoop state: " + String.join(",", crashing));
        }
        return Result.inProgress("Pod is running but is not Ready");
      }
      case "Pending": {
        JsonNode scheduled = condition(o, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.path("status").asText())
            && "Unschedulable".equals(scheduled.path("reason").asText())) {
          if (System.currentTimeMillis() - created(o) < SCHEDULE_WINDOW_MILLIS) {
            return Result.inProgress("Pod has not been scheduled");
          }
          return Result.failed("Pod could not be scheduled");
        }
        return Result.inProgress("Pod is in the Pending phase");
      }
      case "":
        return Result.inProgress("Pod phase not available");
      default:
        return new Result(Status.Unknown, "unknown phase " + phase);
    }
  }

  /** As Flux's own Job reader judges it: Current only once complete (or suspended). */
  private static Result job(JsonNode o) {
    if (o.at("/spec/suspend").asBoolean(false)) {
      return Result.current("Job is suspended");
    }
    int parallelism = o.at("/spec/parallelism").asInt(1);
    int completions = o.at("/spec/completions").asInt(parallelism);
    int succeeded = o.at("/status/succeeded").asInt(0);
    int active = o.at("/status/active").asInt(0);
    int failed = o.at("/status/failed").asInt(0);
    for (JsonNode c : o.at("/status/conditions")) {
      boolean isTrue = "True".equals(c.path("status").asText());
      if ("Complete".equals(c.path("type").asText()) && isTrue) {
        return Result.current("Job Completed. succeeded: " + succeeded + "/" + completions);
      }
      if ("Failed".equals(c.path("type").asText()) && isTrue) {
        return Result.failed("Job Failed. failed: " + failed + "/" + completions);
      }
    }
    if (o.at("/status/startTime").asText("").isEmpty()) {
      return Result.inProgress("Job not started. active: 0/" + parallelism);
    }
    return Result.inProgress("Job in progress. success:" + succeeded + ", active: " + active + ", failed: " + failed);
  }

  private static Result service(JsonNode o) {
    if ("LoadBalancer".equals(o.at("/spec/type").asText("ClusterIP")) && o.at("/spec/clusterIP").asText("").isEmpty()) {
      return Result.inProgress("ClusterIP not set. Service type: LoadBalancer");
    }
    return Result.current("Service is ready");
  }

  private static Result crd(JsonNode o) {
    for (JsonNode c : o.at("/status/conditions")) {
      String type = c.path("type").asText();
      String status = c.path("status").asText();
      if ("NamesAccepted".equals(type) && "False".equals(status)) {
        return Result.failed(c.path("message").asText());
      }
      if ("Established".equals(type)) {
        if ("False".equals(status) && !"Installing".equals(c.path("reason").asText())) {
          return Result.failed(c.path("message").asText());
        }
        if ("True".equals(status)) {
          return Result.current("CRD is established");
        }
      }
    }
    return Result.inProgress("Install in progress");
  }

  private static JsonNode condition(JsonNode o, String type) {
    for (JsonNode c : o.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  private static long created(JsonNode o) {
    try {
      return Instant.parse(o.at("/metadata/creationTimestamp").asText()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return System.currentTimeMillis();
    }
  }
}
