package dev.gitopsworkshop.sync.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A Kubernetes label selector ({@code matchLabels}, {@code matchExpressions}) against an object's labels. */
final class Selector {
  private Selector() {}

  /** Whether {@code labels} satisfy {@code selector}; a missing or empty selector selects everything. */
  static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector == null || selector.isMissingNode() || selector.isNull()) {
      return true;
    }
    var wanted = selector.path("matchLabels").fields();
    while (wanted.hasNext()) {
      var e = wanted.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      boolean has = labels.has(key);
      String value = labels.path(key).asText(null);
      boolean ok = switch (expr.path("operator").asText()) {
        case "In" -> has && values.contains(value);
        case "NotIn" -> !has || !values.contains(value);
        case "Exists" -> has;
        case "DoesNotExist" -> !has;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
