package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.KubeClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Flux's status vocabulary: conditions, the requestedAt handshake, intervals. */
final class FluxStatus {
  static final String REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";

  private FluxStatus() {}

  static ObjectNode condition(String type, boolean status, String reason, String message, long generation, JsonNode previous) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String transition = now;
    for (JsonNode c : previous.path("conditions")) {
      if (type.equals(c.path("type").asText()) && String.valueOf(status ? "True" : "False").equals(c.path("status").asText())) {
        transition = c.path("lastTransitionTime").asText(now);
      }
    }
    ObjectNode c = KubeClient.JSON.createObjectNode();
    c.put("type", type);
    c.put("status", status ? "True" : "False");
    c.put("observedGeneration", generation);
    c.put("lastTransitionTime", transition);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  static ArrayNode conditions(ObjectNode... items) {
    ArrayNode arr = KubeClient.JSON.createArrayNode();
    for (ObjectNode c : items) {
      arr.add(c);
    }
    return arr;
  }

  /** The requestedAt value to acknowledge in status.lastHandledReconcileAt, if any. */
  static String requestedAt(JsonNode obj) {
    return obj.at("/metadata/annotations").path(REQUESTED_AT).asText(null);
  }

  /** Parses a Go duration as Flux writes intervals (1m, 30s, 1h30m, 500ms); 10 minutes when absent or malformed. */
  static long intervalMillis(JsonNode obj) {
    return durationMillis(obj.at("/spec/interval").asText(""), 600_000);
  }

  static long durationMillis(String text, long fallback) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(text);
    long total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return fallback;
      }
      double n = Double.parseDouble(m.group(1));
      total += (long) switch (m.group(2)) {
        case "h" -> n * 3_600_000;
        case "m" -> n * 60_000;
        case "s" -> n * 1000;
        default -> n;
      };
      end = m.end();
    }
    return end == text.length() && end > 0 ? total : fallback;
  }
}
