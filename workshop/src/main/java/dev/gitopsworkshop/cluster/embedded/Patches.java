package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The three patch formats: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and Kubernetes'
 * strategic merge patch. The strategic one merges the lists Kubernetes merges by key (containers,
 * env, ports, volumes, conditions...) instead of replacing them, and honours {@code $patch: delete}
 * and {@code $patch: replace}; other directives ({@code $setElementOrder}, {@code $retainKeys}) are
 * accepted and ignored. Keys are known by field name, not from a schema: an approximation that
 * covers what kubectl sends for the workshop's kinds.
 */
final class Patches {
  /** List field name to the key its items merge on. */
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("conditions", "type"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("tolerations", "key"),
          Map.entry("hostAliases", "ip"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("containerStatuses", "name"));

  private Patches() {}

  private static final java.util.Set<String> JSON_PATCH_OPS = java.util.Set.of("add", "remove", "replace", "move", "copy", "test");
  private static final java.util.EnumSet<CompatibilityFlags> RFC_6902 = java.util.EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  /**
   * RFC 6902 through zjsonpatch, one operation at a time; {@code test} compares numbers by value
   * (JSON has one number type: 1 equals 1.0, as kube-apiserver's json-patch says). An operation
   * that cannot apply (a missing path, an index out of range or not a number) is 422, as there.
   */
  static ObjectNode jsonPatch(ObjectNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw ApiException.badRequest("a JSON patch must be an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      String kind = op.path("op").asText();
      if (!JSON_PATCH_OPS.contains(kind)) {
        throw ApiException.badRequest("unknown JSON patch operation '" + kind + "'");
      }
      String path = op.path("path").asText();
      if (kind.equals("test")) {
        JsonNode actual = doc.at(path);
        if (actual.isMissingNode() || !actual.equals(NUMBERS_BY_VALUE, op.path("value"))) {
          throw new ApiException(422, "Invalid", "testing value " + path + " failed: test failed");
        }
        continue;
      }
      try {
        doc = JsonPatch.apply(Json.array().add(op), doc, RFC_6902);
      } catch (JsonPatchException | IllegalStateException | IllegalArgumentException e) {
        throw new ApiException(422, "Invalid", "the JSON patch's " + kind + " of " + path + " does not apply: " + e.getMessage());
      }
    }
    if (!(doc instanceof ObjectNode out)) {
      throw new ApiException(422, "Invalid", "the JSON patch does not leave an object");
    }
    return out;
  }

  private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  /** RFC 7386: objects merge, null removes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** Kubernetes' strategic merge patch (see the class comment for what is approximated). */
  static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if ("replace".equals(patch.path("$patch").asText())) {
      ObjectNode copy = ((ObjectNode) patch).deepCopy();
      copy.remove("$patch");
      return copy;
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.startsWith("$setElementOrder/") || key.equals("$retainKeys") || key.equals("$patch")) {
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String field = key.substring("$deleteFromPrimitiveList/".length());
        if (result.get(field) instanceof ArrayNode list) {
          for (int i = list.size() - 1; i >= 0; i--) {
            for (JsonNode d : value) {
              if (list.get(i).equals(d)) {
                list.remove(i);
                break;
              }
            }
          }
        }
        continue;
      }
      if (value.isNull()) {
        result.remove(key);
      } else if (value.isArray() && key.equals("ports") && result.get(key) instanceof ArrayNode current) {
        // container ports merge on containerPort, Service ports on port
        String portKey = value.size() > 0 && value.get(0).has("containerPort") ? "containerPort" : "port";
        result.set(key, mergeList(current, (ArrayNode) value, portKey));
      } else if (value.isArray() && MERGE_KEYS.containsKey(key) && result.get(key) instanceof ArrayNode current) {
        result.set(key, mergeList(current, (ArrayNode) value, mergeKeyFor(key, value)));
      } else if (value.isArray() && key.equals("finalizers") && result.get(key) instanceof ArrayNode current) {
        ArrayNode merged = current.deepCopy();
        value.forEach(v -> {
          if (!contains(merged, v)) {
            merged.add(v);
          }
        });
        result.set(key, merged);
      } else if (value.isObject()) {
        result.set(key, strategicMerge(result.get(key), value));
      } else {
        result.set(key, stripDirectives(value));
      }
    }
    return result;
  }

  private static String mergeKeyFor(String field, JsonNode items) {
    return MERGE_KEYS.get(field);
  }

  private static ArrayNode mergeList(ArrayNode current, ArrayNode patch, String key) {
    if (patch.size() == 1 && "replace".equals(patch.get(0).path("$patch").asText())) {
      return Json.array();
    }
    ArrayNode result = current.deepCopy();
    for (JsonNode item : patch) {
      String id = item.path(key).asText(null);
      int at = -1;
      for (int i = 0; id != null && i < result.size(); i++) {
        if (id.equals(result.get(i).path(key).asText(null))) {
          at = i;
          break;
        }
      }
      if ("delete".equals(item.path("$patch").asText())) {
        if (at >= 0) {
          result.remove(at);
        }
      } else if (at >= 0) {
        result.set(at, strategicMerge(result.get(at), item));
      } else {
        result.add(stripDirectives(item));
      }
    }
    return result;
  }

  private static boolean contains(ArrayNode list, JsonNode v) {
    for (JsonNode x : list) {
      if (x.equals(v)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode stripDirectives(JsonNode v) {
    if (v instanceof ObjectNode o) {
      ObjectNode copy = o.deepCopy();
      List<String> drop = new java.util.ArrayList<>();
      copy.fieldNames().forEachRemaining(n -> {
        if (n.startsWith("$")) {
          drop.add(n);
        }
      });
      copy.remove(drop);
      copy.fields().forEachRemaining(e -> e.setValue(stripDirectives(e.getValue())));
      return copy;
    }
    if (v instanceof ArrayNode a) {
      ArrayNode copy = Json.array();
      a.forEach(x -> copy.add(stripDirectives(x)));
      return copy;
    }
    return v;
  }
}
