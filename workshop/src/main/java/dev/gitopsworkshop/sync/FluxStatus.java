package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Flux's status vocabulary: conditions, the requestedAt handshake, intervals. */
public final class FluxStatus {
  public static final String REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";

  private FluxStatus() {}

  /**
   * A condition as Flux writes it; {@code status} null is Unknown. The transition time is kept from
   * the object's current condition of that type when its status does not change.
   */
  public static ObjectNode condition(String type, Boolean status, String reason, String message, JsonNode obj) {
    String value = status == null ? "Unknown" : status ? "True" : "False";
    String transition = now();
    JsonNode current = find(obj, type);
    if (value.equals(current.path("status").asText())) {
      transition = current.path("lastTransitionTime").asText(transition);
    }
    ObjectNode c = Mappers.JSON.createObjectNode();
    c.put("type", type);
    c.put("status", value);
    c.put("observedGeneration", obj.at("/metadata/generation").asLong(1));
    c.put("lastTransitionTime", transition);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  /** The object's condition of this type, or a missing node. */
  public static JsonNode find(JsonNode obj, String type) {
    for (JsonNode c : obj.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  public static ArrayNode conditions(ObjectNode... items) {
    ArrayNode arr = Mappers.JSON.createArrayNode();
    for (ObjectNode c : items) {
      arr.add(c);
    }
    return arr;
  }

  /**
   * The start of a new status: {@code observedGeneration}, and {@code lastHandledReconcileAt} set to
   * the object's {@code requestedAt}, which tells {@code flux reconcile} (and the nudger's user) that
   * the request was handled.
   */
  public static ObjectNode handled(JsonNode obj) {
    ObjectNode next = Mappers.JSON.createObjectNode();
    next.put("observedGeneration", obj.at("/metadata/generation").asLong(1));
    String requested = requestedAt(obj);
    if (requested != null) {
      next.put("lastHandledReconcileAt", requested);
    }
    return next;
  }

  /** {@code {"status": ...}}, the body of a merge patch on the status subresource. */
  public static ObjectNode statusPatch(ObjectNode status) {
    ObjectNode patch = Mappers.JSON.createObjectNode();
    patch.set("status", status);
    return patch;
  }

  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The requestedAt value to acknowledge in status.lastHandledReconcileAt, if any. */
  public static String requestedAt(JsonNode obj) {
    return obj.at("/metadata/annotations").path(REQUESTED_AT).asText(null);
  }

  /** Parses a Go duration as Flux writes intervals (1m, 30s, 1h30m, 500ms); 10 minutes when absent or malformed. */
  /**
   * {@code spec.interval} in milliseconds (10 minutes when absent); an interval of zero is refused
   * ({@link InvalidInterval}): it would reconcile without a pause.
   */
  public static long intervalMillis(JsonNode obj) {
    String text = obj.at("/spec/interval").asText("");
    long millis = durationMillis(text, 600_000);
    if (millis <= 0) {
      throw new InvalidInterval(obj, text);
    }
    return millis;
  }

  /** An object whose {@code spec.interval} the embedded controllers refuse; the controller says so in its Ready condition. */
  public static final class InvalidInterval extends RuntimeException {
    public static final String REASON = "InvalidInterval";
    public final transient JsonNode object;

    InvalidInterval(JsonNode object, String interval) {
      super("spec.interval " + interval + " is refused by the embedded Flux: an interval must be longer than zero (it would "
          + "reconcile without a pause); use e.g. 1m, or run real Flux with --cluster k3s");
      this.object = object;
    }
  }

  public static long durationMillis(String text, long fallback) {
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
