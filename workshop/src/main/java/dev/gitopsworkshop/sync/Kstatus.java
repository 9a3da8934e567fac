package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An object's health as kstatus computes it for Flux's health checks: Current, InProgress, Failed,
 * Terminating or NotFound, with kstatus' message. The generic rules first (deletion, a generation
 * not yet observed, {@code Reconciling} and {@code Stalled} conditions), then the built-in kinds'
 * own rules (Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job as Flux's job reader judges
 * it, PVC, Service, CRD; ConfigMap, Secret, CronJob are always ready), then a {@code Ready}
 * condition, else Current. The workloads' rules are {@link WorkloadStatus}'s.
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
      case "/Pod" -> WorkloadStatus.pod(o);
      case "/Secret", "/ConfigMap", "batch/CronJob" -> Result.current("Resource is always ready");
      case "/PersistentVolumeClaim" -> "Bound".equals(o.at("/status/phase").asText())
          ? Result.current("PVC is Bound")
          : Result.inProgress("PVC is not Bound. phase: " + o.at("/status/phase").asText("unknown"));
      case "apps/StatefulSet" -> WorkloadStatus.statefulSet(o);
      case "apps/DaemonSet" -> WorkloadStatus.daemonSet(o);
      case "apps/Deployment" -> WorkloadStatus.deployment(o);
      case "apps/ReplicaSet" -> WorkloadStatus.replicaSet(o);
      case "policy/PodDisruptionBudget" -> Result.current("AllowedDisruptions has been computed.");
      case "batch/Job" -> WorkloadStatus.job(o);
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

  static JsonNode condition(JsonNode o, String type) {
    for (JsonNode c : o.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }


}
