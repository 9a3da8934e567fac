package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The defaults kube-apiserver fills in on create and update, limited to the fields kubectl shows
 * or controllers read: workload replicas, strategy and history limits, pod restart and DNS policy,
 * container pull policy and termination message, Service type, ports and a cluster IP, Namespace
 * phase.
 */
final class Defaults {
  private Defaults() {}

  static void apply(ResourceType type, ObjectNode obj) {
    if (!type.builtIn()) {
      return;
    }
    ObjectNode spec = obj.has("spec") && obj.get("spec").isObject() ? (ObjectNode) obj.get("spec") : null;
    String key = type.group() + "/" + type.kind();
    switch (key) {
      case "apps/Deployment" -> {
        if (spec == null) {
          return;
        }
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        ObjectNode strategy = with(spec, "strategy");
        if (!strategy.has("type")) {
          strategy.put("type", "RollingUpdate");
        }
        if (strategy.path("type").asText().equals("RollingUpdate")) {
          ObjectNode rolling = with(strategy, "rollingUpdate");
          if (!rolling.has("maxUnavailable")) {
            rolling.put("maxUnavailable", "25%");
          }
          if (!rolling.has("maxSurge")) {
            rolling.put("maxSurge", "25%");
          }
        }
        template(spec);
      }
      case "apps/ReplicaSet", "apps/StatefulSet" -> {
        if (spec == null) {
          return;
        }
        putIfAbsent(spec, "replicas", 1);
        if (type.kind().equals("StatefulSet")) {
          putIfAbsent(spec, "revisionHistoryLimit", 10);
          if (!spec.has("podManagementPolicy")) {
            spec.put("podManagementPolicy", "OrderedReady");
          }
        }
        template(spec);
      }
      case "apps/DaemonSet", "batch/Job" -> {
        if (spec != null) {
          template(spec);
        }
      }
      case "/Pod" -> {
        if (spec != null) {
          podSpec(spec);
        }
        ObjectNode status = with(obj, "status");
        if (!status.has("phase")) {
          status.put("phase", "Pending");
          status.put("qosClass", "BestEffort");
        }
      }
      case "/Secret" -> {
        if (obj.path("type").asText("").isEmpty()) {
          obj.put("type", "Opaque");
        }
        JsonNode stringData = obj.get("stringData");
        if (stringData != null && stringData.isObject()) {
          ObjectNode data = with(obj, "data");
          stringData.fields().forEachRemaining(e -> data.put(e.getKey(),
              java.util.Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
          obj.remove("stringData");
        }
      }
      case "/Service" -> service(spec == null ? with(obj, "spec") : spec);
      case "/Namespace" -> {
        with(with(obj, "metadata"), "labels")
            .put("kubernetes.io/metadata.name", obj.path("metadata").path("name").asText());
        ObjectNode status = with(obj, "status");
        if (!status.has("phase")) {
          status.put("phase", "Active");
        }
      }
      default -> { }
    }
  }

  private static void template(ObjectNode spec) {
    JsonNode podSpec = spec.path("template").path("spec");
    if (podSpec.isObject()) {
      podSpec((ObjectNode) podSpec);
    }
  }

  private static void podSpec(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        if (c.isObject()) {
          container((ObjectNode) c);
        }
      }
    }
  }

  private static void container(ObjectNode c) {
    String image = c.path("image").asText("");
    String last = image.substring(image.lastIndexOf('/') + 1);
    boolean latest = !image.contains("@") && (!last.contains(":") || last.endsWith(":latest"));
    putIfAbsent(c, "imagePullPolicy", latest ? "Always" : "IfNotPresent");
    putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(c, "terminationMessagePolicy", "File");
    if (!c.has("resources")) {
      c.putObject("resources");
    }
    for (JsonNode p : c.path("ports")) {
      if (p.isObject()) {
        putIfAbsent((ObjectNode) p, "protocol", "TCP");
      }
    }
  }

  private static void service(ObjectNode spec) {
    putIfAbsent(spec, "type", "ClusterIP");
    putIfAbsent(spec, "sessionAffinity", "None");
    for (JsonNode p : spec.path("ports")) {
      if (p.isObject()) {
        ObjectNode port = (ObjectNode) p;
        putIfAbsent(port, "protocol", "TCP");
        if (!port.has("targetPort") && port.has("port")) {
          port.set("targetPort", port.get("port"));
        }
      }
    }
    if (spec.path("type").asText().equals("ExternalName")) {
      return;
    }
    if (!spec.hasNonNull("clusterIP")) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      String ip = "10.96." + r.nextInt(0, 256) + "." + r.nextInt(1, 255);
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }
    if (!spec.has("ipFamilies")) {
      spec.putArray("ipFamilies").add("IPv4");
    }
    putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
    putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
  }

  private static ObjectNode with(ObjectNode node, String field) {
    JsonNode v = node.get(field);
    if (v != null && v.isObject()) {
      return (ObjectNode) v;
    }
    return node.putObject(field);
  }

  private static void putIfAbsent(ObjectNode node, String field, Object value) {
    if (node.hasNonNull(field)) {
      return;
    }
    if (value instanceof Integer i) {
      node.put(field, i);
    } else {
      node.put(field, value.toString());
    }
  }
}
