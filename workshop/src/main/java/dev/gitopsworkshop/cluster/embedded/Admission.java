package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException.Cause;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What kube-apiserver does to an object before storing it, for the parts kubectl and the tutorial
 * can see: defaulting (Deployments, Pods, Services, Namespaces, Secrets) and validation answered with
 * 422 naming each invalid field (names, workload selectors and templates, containers).
 */
final class Admission {
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Admission() {}

  static void admit(ResourceType type, ObjectNode obj) {
    defaults(type, obj);
    List<Cause> causes = validate(type, obj);
    if (!causes.isEmpty()) {
      throw ApiException.invalid(type.kind(), obj.at("/metadata/name").asText(""), causes);
    }
  }

  // ---------------------------------------------------------------- defaults

  static void defaults(ResourceType type, ObjectNode obj) {
    if (WorkloadAdmission.defaults(type, obj)) {
      return;
    }
    String key = type.group() + "/" + type.kind();
    switch (key) {
      case "apps/Deployment" -> {
        ObjectNode spec = obj.with("spec");
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        if (!spec.has("strategy")) {
          spec.putObject("strategy").put("type", "RollingUpdate");
        }
        ObjectNode strategy = spec.with("strategy");
        if ("RollingUpdate".equals(strategy.path("type").asText("RollingUpdate"))) {
          strategy.put("type", "RollingUpdate");
          ObjectNode ru = strategy.with("rollingUpdate");
          if (!ru.has("maxSurge")) {
            ru.put("maxSurge", "25%");
          }
          if (!ru.has("maxUnavailable")) {
            ru.put("maxUnavailable", "25%");
          }
        }
        podTemplateDefaults(spec);
      }
      case "apps/ReplicaSet", "apps/StatefulSet" -> {
        putIfAbsent(obj.with("spec"), "replicas", 1);
        podTemplateDefaults(obj.with("spec"));
      }
      case "apps/DaemonSet", "batch/Job" -> podTemplateDefaults(obj.with("spec"));
      case "/Pod" -> podSpecDefaults(obj.with("spec"));
      case "/Service" -> {
        ObjectNode spec = obj.with("spec");
        if (!spec.has("type")) {
          spec.put("type", "ClusterIP");
        }
        if (!spec.has("sessionAffinity")) {
          spec.put("sessionAffinity", "None");
        }
        for (JsonNode p : spec.path("ports")) {
          ObjectNode port = (ObjectNode) p;
          if (!port.has("protocol")) {
            port.put("protocol", "TCP");
          }
          if (!port.has("targetPort") && port.has("port")) {
            port.set("targetPort", port.get("port"));
          }
        }
      }
      case "/Namespace" -> {
        if (!obj.with("spec").has("finalizers")) {
          obj.with("spec").putArray("finalizers").add("kubernetes");
        }
        if (!obj.with("status").has("phase")) {
          obj.with("status").put("phase", "Active");
        }
      }
      case "/Secret" -> {
        if (obj.path("type").asText("").isEmpty()) { // kubectl's protobuf bodies carry type ""
          obj.put("type", "Opaque");
        }
        JsonNode stringData = obj.remove("stringData");
        if (stringData != null && stringData.isObject()) {
          ObjectNode data = obj.with("data");
          stringData.fields().forEachRemaining(
              e -> data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        }
      }
      default -> {
        // nothing to default
      }
    }
  }

  private static void putIfAbsent(ObjectNode o, String field, int value) {
    if (!o.has(field) || o.get(field).isNull()) {
      o.put(field, value);
    }
  }

  static void podTemplateDefaults(ObjectNode spec) {
    if (spec.path("template").isObject()) {
      podSpecDefaults(spec.with("template").with("spec"));
    }
  }

  private static void podSpecDefaults(ObjectNode pod) {
    if (!pod.has("restartPolicy")) {
      pod.put("restartPolicy", "Always");
    }
    putIfAbsent(pod, "terminationGracePeriodSeconds", 30);
    if (!pod.has("dnsPolicy")) {
      pod.put("dnsPolicy", "ClusterFirst");
    }
    if (!pod.has("schedulerName")) {
      pod.put("schedulerName", "default-scheduler");
    }
    if (!pod.has("securityContext")) {
      pod.putObject("securityContext");
    }
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : pod.path(list)) {
        if (!(c instanceof ObjectNode container)) {
          continue;
        }
        String image = container.path("image").asText("");
        if (!container.has("imagePullPolicy")) {
          String tag = image.contains("@") ? "digest" : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(image.lastIndexOf(':') + 1) : "";
          container.put("imagePullPolicy", tag.isEmpty() || tag.equals("latest") ? "Always" : "IfNotPresent");
        }
        if (!container.has("terminationMessagePath")) {
          container.put("terminationMessagePath", "/dev/termination-log");
        }
        if (!container.has("terminationMessagePolicy")) {
          container.put("terminationMessagePolicy", "File");
        }
        if (!container.has("resources")) {
          container.putObject("resources");
        }
        for (JsonNode p : container.path("ports")) {
          if (p instanceof ObjectNode port && !port.has("protocol")) {
            port.put("protocol", "TCP");
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- validation

  static List<Cause> validate(ResourceType type, ObjectNode obj) {
    List<Cause> causes = new ArrayList<>();
    String name = obj.at("/metadata/name").asText("");
    if (!name.isEmpty() && (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches())) {
      causes.add(
          new Cause(
              "FieldValueInvalid",
              "Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist of lower case "
                  + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
              "metadata.name"));
    }
    String key = type.group() + "/" + type.kind();
    WorkloadAdmission.validate(type, obj, causes);
    switch (key) {
      case "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet" -> workload(obj, causes);
      case "/Pod" -> containers(obj.path("spec"), "spec", causes);
      default -> {
        // no further checks
      }
    }
    return causes;
  }

  private static void workload(ObjectNode obj, List<Cause> causes) {
    JsonNode spec = obj.path("spec");
    JsonNode selector = spec.path("selector");
    JsonNode template = spec.path("template");
    if (!selector.isObject() || (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty())) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.selector"));
    }
    if (!template.isObject()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.template"));
      return;
    }
    JsonNode labels = template.at("/metadata/labels");
    if (selector.isObject() && !selector.path("matchLabels").isEmpty()) {
      ObjectNode probe = Json.object();
      probe.putObject("metadata").set("labels", labels.isObject() ? labels : Json.object());
      if (!Selectors.of(selector).test(probe)) {
        causes.add(
            new Cause(
                "FieldValueInvalid",
                "Invalid value: " + Json.write(labels.isObject() ? labels : Json.object())
                    + ": `selector` does not match template `labels`",
                "spec.template.metadata.labels"));
      }
    }
    containers(template.path("spec"), "spec.template.spec", causes);
  }

  private static void containers(JsonNode podSpec, String prefix, List<Cause> causes) {
    JsonNode containers = podSpec.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", prefix + ".containers"));
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      JsonNode c = containers.get(i);
      String at = prefix + ".containers[" + i + "]";
      if (c.path("name").asText("").isEmpty()) {
        causes.add(new Cause("FieldValueRequired", "Required value", at + ".name"));
      }
      if (c.path("image").asText("").isEmpty()) {
        causes.add(new Cause("FieldValueRequired", "Required value", at + ".image"));
      }
      for (int j = 0; j < c.path("ports").size(); j++) {
        int port = c.path("ports").get(j).path("containerPort").asInt(0);
        if (port < 1 || port > 65535) {
          causes.add(
              new Cause("FieldValueInvalid", "Invalid value: " + port + ": must be between 1 and 65535, inclusive",
                  at + ".ports[" + j + "].containerPort"));
        }
      }
    }
  }
}
