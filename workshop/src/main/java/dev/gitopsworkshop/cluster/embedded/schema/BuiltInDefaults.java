package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The defaults kube-apiserver fills into built-in kinds (its SetDefaults functions and the
 * admission plugins every cluster runs) that the embedded server's own defaulting does not cover:
 * probe timings, volume modes, workload update strategies and history limits, Job and CronJob
 * policies, Service IP families and traffic policies, a Pod's service account, priority and
 * default tolerations, a Namespace's name label. Kubernetes declares them in Go code, not in a
 * schema, so they are written here; a value given is never replaced.
 */
public final class BuiltInDefaults {
  private BuiltInDefaults() {}

  /** Fills the defaults of a kind ({@code group/Kind}, core group empty) into {@code obj}. */
  public static void apply(String group, String kind, ObjectNode obj) {
    ObjectNode spec = obj.path("spec").isObject() ? (ObjectNode) obj.get("spec") : null;
    if (spec == null && !kind.equals("Namespace")) {
      return;
    }
    switch (group + "/" + kind) {
      case "apps/Deployment", "apps/ReplicaSet" -> template(spec);
      case "apps/StatefulSet" -> {
        template(spec);
        put(spec, "podManagementPolicy", "OrderedReady");
        put(spec, "revisionHistoryLimit", 10);
        ObjectNode strategy = object(spec, "updateStrategy");
        put(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
          put(object(strategy, "rollingUpdate"), "partition", 0);
        }
        ObjectNode retention = object(spec, "persistentVolumeClaimRetentionPolicy");
        put(retention, "whenDeleted", "Retain");
        put(retention, "whenScaled", "Retain");
      }
      case "apps/DaemonSet" -> {
        template(spec);
        put(spec, "revisionHistoryLimit", 10);
        ObjectNode strategy = object(spec, "updateStrategy");
        put(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
          ObjectNode ru = object(strategy, "rollingUpdate");
          put(ru, "maxUnavailable", 1);
          put(ru, "maxSurge", 0);
        }
      }
      case "batch/Job" -> job(spec);
      case "batch/CronJob" -> {
        if (spec != null) {
          put(spec, "concurrencyPolicy", "Allow");
          put(spec, "suspend", false);
          put(spec, "successfulJobsHistoryLimit", 3);
          put(spec, "failedJobsHistoryLimit", 1);
          if (spec.path("jobTemplate").path("spec").isObject()) {
            job((ObjectNode) spec.path("jobTemplate").path("spec"));
          }
        }
      }
      case "/Pod" -> {
        podSpec(spec);
        if (spec != null) {
          put(spec, "serviceAccountName", "default");
          put(spec, "serviceAccount", spec.path("serviceAccountName").asText());
          put(spec, "priority", 0);
          put(spec, "preemptionPolicy", "PreemptLowerPriority");
          for (String taint : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean tolerated = false;
            for (JsonNode t : spec.path("tolerations")) {
              tolerated |= taint.equals(t.path("key").asText()) && t.path("effect").asText("NoExecute").equals("NoExecute")
                  || t.path("key").asText().isEmpty() && "Exists".equals(t.path("operator").asText());
            }
            if (!tolerated) {
              spec.withArray("tolerations").addObject().put("key", taint).put("operator", "Exists")
                  .put("effect", "NoExecute").put("tolerationSeconds", 300);
            }
          }
        }
      }
      case "/Service" -> service(spec);
      case "/Namespace" -> {
        String name = obj.at("/metadata/name").asText("");
        if (!name.isEmpty()) {
          obj.with("metadata").with("labels").put("kubernetes.io/metadata.name", name);
        }
      }
      case "/PersistentVolumeClaim" -> {
        if (spec != null) {
          put(spec, "volumeMode", "Filesystem");
        }
      }
      default -> {
        // nothing more to default
      }
    }
  }

  private static void job(ObjectNode spec) {
    if (spec == null) {
      return;
    }
    if (!spec.has("completions") && !spec.has("parallelism")) {
      spec.put("completions", 1);
      spec.put("parallelism", 1);
    }
    put(spec, "parallelism", 1);
    put(spec, "backoffLimit", spec.has("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    put(spec, "completionMode", "NonIndexed");
    put(spec, "suspend", false);
    put(spec, "manualSelector", false);
    put(spec, "podReplacementPolicy", spec.has("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    template(spec);
  }

  private static void service(ObjectNode spec) {
    if (spec == null) {
      return;
    }
    String type = spec.path("type").asText("ClusterIP");
    if (!type.equals("ExternalName")) {
      put(spec, "internalTrafficPolicy", "Cluster");
      put(spec, "ipFamilyPolicy", "SingleStack");
      if (!spec.has("ipFamilies")) {
        spec.putArray("ipFamilies").add("IPv4");
      }
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      put(spec, "externalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      put(spec, "allocateLoadBalancerNodePorts", true);
    }
  }

  private static void template(ObjectNode spec) {
    if (spec != null && spec.path("template").path("spec").isObject()) {
      podSpec((ObjectNode) spec.path("template").path("spec"));
    }
  }

  /** What every pod spec gets, in a Pod or a workload's template. */
  private static void podSpec(ObjectNode pod) {
    if (pod == null) {
      return;
    }
    put(pod, "enableServiceLinks", true);
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode c : pod.path(list)) {
        if (c instanceof ObjectNode container) {
          container(container);
        }
      }
    }
    for (JsonNode v : pod.path("volumes")) {
      for (String source : List.of("configMap", "secret", "projected", "downwardAPI")) {
        if (v.path(source) instanceof ObjectNode s) {
          put(s, "defaultMode", 420);
        }
      }
    }
  }

  private static void container(ObjectNode c) {
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      if (c.path(probe) instanceof ObjectNode p) {
        put(p, "timeoutSeconds", 1);
        put(p, "periodSeconds", 10);
        put(p, "successThreshold", 1);
        put(p, "failureThreshold", 3);
        if (p.path("httpGet") instanceof ObjectNode http) {
          put(http, "path", "/");
          put(http, "scheme", "HTTP");
        }
        if (p.path("grpc") instanceof ObjectNode grpc) {
          put(grpc, "service", "");
        }
      }
    }
    for (String hook : List.of("postStart", "preStop")) {
      if (c.path("lifecycle").path(hook).path("httpGet") instanceof ObjectNode http) {
        put(http, "path", "/");
        put(http, "scheme", "HTTP");
      }
    }
    for (JsonNode e : c.path("env")) {
      if (e.path("valueFrom").path("fieldRef") instanceof ObjectNode ref) {
        put(ref, "apiVersion", "v1");
      }
    }
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    return parent.path(field).isObject() ? (ObjectNode) parent.get(field) : parent.putObject(field);
  }

  private static void put(ObjectNode o, String field, Object value) {
    if (o == null || o.has(field) && !o.get(field).isNull()) {
      return;
    }
    if (value instanceof Integer i) {
      o.put(field, i);
    } else if (value instanceof Boolean b) {
      o.put(field, b);
    } else {
      o.put(field, value.toString());
    }
  }
}
