package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import java.util.Map;

/** Pods made from a workload's pod template, owned by the workload, as its controller makes them. */
final class PodTemplates {
  private PodTemplates() {}

  /**
   * A pod of {@code template} controlled by {@code owner}.
   *
   * @param name the pod's name, or null for a generated one ({@code <owner>-xxxxx})
   * @param extraLabels labels the controller adds to the template's
   */
  static ObjectNode pod(ObjectNode owner, JsonNode template, String name, Map<String, String> extraLabels) {
    ObjectNode pod = Json.object();
    ObjectNode meta = pod.putObject("metadata");
    if (name == null) {
      meta.put("generateName", owner.at("/metadata/name").asText() + "-");
    } else {
      meta.put("name", name);
    }
    meta.put("namespace", owner.at("/metadata/namespace").asText());
    ObjectNode labels = template.at("/metadata/labels").isObject()
        ? ((ObjectNode) template.at("/metadata/labels")).deepCopy() : Json.object();
    extraLabels.forEach(labels::put);
    meta.set("labels", labels);
    if (template.at("/metadata/annotations").isObject()) {
      meta.set("annotations", template.at("/metadata/annotations").deepCopy());
    }
    meta.putArray("ownerReferences").add(ownerReference(owner));
    pod.set("spec", template.path("spec").deepCopy());
    pod.putObject("status").put("phase", "Pending");
    return pod;
  }

  /** The controller ownerReference naming {@code owner}. */
  static ObjectNode ownerReference(ObjectNode owner) {
    ObjectNode ref = Json.object();
    ref.put("apiVersion", owner.path("apiVersion").asText());
    ref.put("kind", owner.path("kind").asText());
    ref.put("name", owner.at("/metadata/name").asText());
    ref.put("uid", owner.at("/metadata/uid").asText());
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    return ref;
  }

  static boolean terminal(JsonNode pod) {
    String phase = pod.at("/status/phase").asText();
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  static boolean deleting(JsonNode o) {
    return o.at("/metadata/deletionTimestamp").isTextual();
  }
}
