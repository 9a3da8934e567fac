package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object's conditions as one reconcile changes them: set or removed by type, the others kept,
 * written in Flux's order (Stalled, Reconciling, Ready, then the rest by type), each keeping its
 * transition time while its status does not change.
 */
final class Conditions {
  private static final List<String> FIRST = List.of("Stalled", "Reconciling", "Ready");
  private final JsonNode obj;
  private final Map<String, ObjectNode> byType = new LinkedHashMap<>();

  Conditions(JsonNode obj) {
    this.obj = obj;
    for (JsonNode c : obj.at("/status/conditions")) {
      if (c.isObject()) {
        byType.put(c.path("type").asText(), ((ObjectNode) c).deepCopy());
      }
    }
  }

  /** {@code status} null is Unknown. */
  Conditions set(String type, Boolean status, String reason, String message) {
    byType.put(type, FluxStatus.condition(type, status, reason, message, obj));
    return this;
  }

  Conditions remove(String type) {
    byType.remove(type);
    return this;
  }

  boolean has(String type) {
    return byType.containsKey(type);
  }

  /** The status of the condition of this type ("True", "False", "Unknown"), or "" when there is none. */
  String status(String type) {
    ObjectNode c = byType.get(type);
    return c == null ? "" : c.path("status").asText();
  }

  /** The message of the condition of this type, or {@code otherwise} when there is none. */
  String message(String type, String otherwise) {
    ObjectNode c = byType.get(type);
    return c == null ? otherwise : c.path("message").asText(otherwise);
  }

  ArrayNode array() {
    List<ObjectNode> all = new ArrayList<>(byType.values());
    all.sort(Comparator.<ObjectNode>comparingInt(c -> weight(c.path("type").asText())).thenComparing(c -> c.path("type").asText()));
    ArrayNode out = Mappers.JSON.createArrayNode();
    all.forEach(out::add);
    return out;
  }

  private static int weight(String type) {
    int i = FIRST.indexOf(type);
    return i < 0 ? FIRST.size() : i;
  }
}
