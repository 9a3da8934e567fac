package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException.Cause;
import dev.gitopsworkshop.cluster.embedded.controllers.CronSchedule;
import java.time.DateTimeException;
import java.util.List;

/**
 * The API server's defaults and checks for the workload kinds the embedded controllers run beyond
 * Deployments: Jobs, CronJobs, StatefulSets, DaemonSets and HorizontalPodAutoscalers.
 */
final class WorkloadAdmission {
  private WorkloadAdmission() {}

  /** Defaults {@code obj}; true when this class handled its kind. */
  static boolean defaults(ResourceType type, ObjectNode obj) {
    switch (type.group() + "/" + type.kind()) {
      case "batch/Job" -> jobSpec(obj.with("spec"));
      case "batch/CronJob" -> {
        ObjectNode spec = obj.with("spec");
        text(spec, "concurrencyPolicy", "Allow");
        bool(spec, "suspend");
        number(spec, "successfulJobsHistoryLimit", 3);
        number(spec, "failedJobsHistoryLimit", 1);
        jobSpec(spec.with("jobTemplate").with("spec"));
      }
      case "apps/StatefulSet" -> {
        ObjectNode spec = obj.with("spec");
        number(spec, "replicas", 1);
        text(spec, "podManagementPolicy", "OrderedReady");
        number(spec, "revisionHistoryLimit", 10);
        if (!spec.has("updateStrategy")) {
          spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate").put("partition", 0);
        }
        if (!spec.has("persistentVolumeClaimRetentionPolicy")) {
          spec.putObject("persistentVolumeClaimRetentionPolicy").put("whenDeleted", "Retain").put("whenScaled", "Retain");
        }
        for (JsonNode t : spec.path("volumeClaimTemplates")) {
          if (t instanceof ObjectNode claim) {
            text(claim, "apiVersion", "v1");
            text(claim, "kind", "PersistentVolumeClaim");
            text(claim.with("spec"), "volumeMode", "Filesystem");
            claim.with("status").put("phase", "Pending");
          }
        }
        Admission.podTemplateDefaults(spec);
      }
      case "apps/DaemonSet" -> {
        ObjectNode spec = obj.with("spec");
        number(spec, "revisionHistoryLimit", 10);
        if (!spec.has("updateStrategy")) {
          spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate")
              .put("maxUnavailable", 1).put("maxSurge", 0);
        }
        Admission.podTemplateDefaults(spec);
      }
      case "autoscaling/HorizontalPodAutoscaler" -> {
        ObjectNode spec = obj.with("spec");
        number(spec, "minReplicas", 1);
        if (!spec.has("metrics") || spec.path("metrics").isEmpty()) {
          spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource").put("name", "cpu")
              .putObject("target").put("type", "Utilization").put("averageUtilization", 80);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** A Job's spec defaults; its pods' restartPolicy gets none (a Job must choose Never or OnFailure). */
  private static void jobSpec(ObjectNode spec) {
    if (!spec.has("completions") && !spec.has("parallelism")) {
      spec.put("completions", 1);
    }
    number(spec, "parallelism", 1);
    number(spec, "backoffLimit", 6);
    text(spec, "completionMode", "NonIndexed");
    bool(spec, "suspend");
    text(spec, "podReplacementPolicy", "TerminatingOrFailed");
    boolean chosen = spec.at("/template/spec/restartPolicy").isTextual();
    Admission.podTemplateDefaults(spec);
    if (!chosen && spec.at("/template/spec").isObject()) {
      ((ObjectNode) spec.at("/template/spec")).remove("restartPolicy");
    }
  }

  static void validate(ResourceType type, ObjectNode obj, List<Cause> causes) {
    JsonNode spec = obj.path("spec");
    switch (type.group() + "/" + type.kind()) {
      case "batch/Job" -> {
        restartPolicy(spec, "spec.template.spec", causes);
        notImplemented(spec, "spec", causes, "podFailurePolicy", "successPolicy", "backoffLimitPerIndex", "maxFailedIndexes");
      }
      case "apps/StatefulSet" -> {
        if (spec.at("/ordinals/start").asInt(0) != 0) {
          causes.add(refused("spec.ordinals"));
        }
        if (spec.path("minReadySeconds").asInt(0) > 0) {
          causes.add(refused("spec.minReadySeconds"));
        }
      }
      case "apps/DaemonSet" -> {
        if (spec.path("minReadySeconds").asInt(0) > 0) {
          causes.add(refused("spec.minReadySeconds"));
        }
        if (spec.at("/template/spec/affinity/nodeAffinity").isObject()) {
          causes.add(refused("spec.template.spec.affinity.nodeAffinity"));
        }
      }
      case "batch/CronJob" -> {
        String schedule = spec.path("schedule").asText("");
        if (schedule.isEmpty()) {
          causes.add(new Cause("FieldValueRequired", "Required value", "spec.schedule"));
        } else {
          try {
            CronSchedule.parse(schedule);
          } catch (IllegalArgumentException e) {
            causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + schedule + "\": " + e.getMessage(), "spec.schedule"));
          }
        }
        if (spec.path("timeZone").isTextual()) {
          try {
            CronSchedule.zone(spec.path("timeZone").asText());
          } catch (DateTimeException e) {
            causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + spec.path("timeZone").asText() + "\": unknown time zone "
                + spec.path("timeZone").asText(), "spec.timeZone"));
          }
        }
        restartPolicy(spec.at("/jobTemplate/spec"), "spec.jobTemplate.spec.template.spec", causes);
        notImplemented(spec.at("/jobTemplate/spec"), "spec.jobTemplate.spec", causes,
            "podFailurePolicy", "successPolicy", "backoffLimitPerIndex", "maxFailedIndexes");
      }
      case "autoscaling/HorizontalPodAutoscaler" -> {
        int max = spec.path("maxReplicas").asInt(0);
        int min = spec.path("minReplicas").asInt(1);
        if (max < 1) {
          causes.add(new Cause("FieldValueInvalid", "Invalid value: " + max + ": must be greater than or equal to 1", "spec.maxReplicas"));
        }
        if (min < 1) {
          causes.add(new Cause("FieldValueInvalid", "Invalid value: " + min + ": must be greater than or equal to 1", "spec.minReplicas"));
        } else if (max >= 1 && min > max) {
          causes.add(new Cause("FieldValueInvalid", "Invalid value: " + min + ": must be less than or equal to maxReplicas", "spec.minReplicas"));
        }
        for (String f : List.of("kind", "name")) {
          if (spec.at("/scaleTargetRef/" + f).asText("").isEmpty()) {
            causes.add(new Cause("FieldValueRequired", "Required value", "spec.scaleTargetRef." + f));
          }
        }
      }
      default -> {
        // nothing more to check
      }
    }
  }

  /** Fields the embedded controllers do not implement: refused by name rather than ignored. */
  private static void notImplemented(JsonNode spec, String at, List<Cause> causes, String... fields) {
    for (String f : fields) {
      if (spec.has(f) && !spec.get(f).isNull()) {
        causes.add(refused(at + "." + f));
      }
    }
  }

  private static Cause refused(String field) {
    return new Cause("FieldValueForbidden", "Forbidden: the embedded cluster does not implement this field; start the lab with "
        + "--cluster k3s to use it", field);
  }

  private static void restartPolicy(JsonNode jobSpec, String at, List<Cause> causes) {
    JsonNode policy = jobSpec.at("/template/spec/restartPolicy");
    if (!policy.isTextual() || policy.asText().isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value: valid values: \"OnFailure\", \"Never\"", at + ".restartPolicy"));
    } else if (!policy.asText().equals("OnFailure") && !policy.asText().equals("Never")) {
      causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + policy.asText()
          + "\": supported values: \"OnFailure\", \"Never\"", at + ".restartPolicy"));
    }
  }

  private static void number(ObjectNode o, String field, int value) {
    if (!o.has(field) || o.get(field).isNull()) {
      o.put(field, value);
    }
  }

  private static void text(ObjectNode o, String field, String value) {
    if (!o.has(field) || o.get(field).isNull()) {
      o.put(field, value);
    }
  }

  private static void bool(ObjectNode o, String field) {
    if (!o.has(field) || o.get(field).isNull()) {
      o.put(field, false);
    }
  }
}
