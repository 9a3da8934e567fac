package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;

/** A Deployment's rollout as {@code kubectl rollout status} judges it, from its status. */
final class Rollouts {
  private Rollouts() {}

  static int desired(JsonNode d) {
    return d.at("/spec/replicas").asInt(1);
  }

  /** Every desired replica updated to the current template and available, and no old one left. */
  static boolean complete(JsonNode d) {
    int desired = desired(d);
    JsonNode s = d.path("status");
    return s.path("observedGeneration").asLong(0) >= d.at("/metadata/generation").asLong(1)
        && s.path("updatedReplicas").asInt(0) == desired
        && s.path("availableReplicas").asInt(0) == desired
        && s.path("replicas").asInt(0) == desired;
  }

  /** {@code 1/1 available}, or where a rollout stands: {@code 0 of 1 updated available, 2 pods}. */
  static String describe(JsonNode d) {
    JsonNode s = d.path("status");
    if (complete(d)) {
      return s.path("availableReplicas").asInt(0) + "/" + desired(d) + " available";
    }
    return "rollout not complete: " + s.path("updatedReplicas").asInt(0) + " of " + desired(d) + " updated, "
        + s.path("availableReplicas").asInt(0) + " available, " + s.path("replicas").asInt(0) + " pods";
  }

  static String image(JsonNode podOrTemplateOwner) {
    JsonNode containers = podOrTemplateOwner.at("/spec/template/spec/containers");
    if (containers.isMissingNode()) {
      containers = podOrTemplateOwner.at("/spec/containers");
    }
    return containers.path(0).path("image").asText("");
  }

  static String shortUid(JsonNode o) {
    String uid = o.at("/metadata/uid").asText("");
    return uid.length() > 8 ? uid.substring(0, 8) : uid;
  }
}
