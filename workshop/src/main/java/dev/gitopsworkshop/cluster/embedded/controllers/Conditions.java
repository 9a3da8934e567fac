package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Status conditions as controllers keep them: set in place, the transition time kept while the status stays. */
final class Conditions {
  private Conditions() {}

  static void set(ArrayNode conditions, String type, String status, String reason, String message, String now) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        ObjectNode o = (ObjectNode) c;
        if (!status.equals(o.path("status").asText())) {
          o.put("lastTransitionTime", now);
        }
        o.put("status", status).put("reason", reason).put("message", message);
        return;
      }
    }
    conditions.addObject().put("type", type).put("status", status).put("lastTransitionTime", now).put("reason", reason).put("message", message);
  }
}
