package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three PATCH formats of the Kubernetes API: JSON patch (RFC 6902), JSON merge patch (RFC
 * 7386) and strategic merge patch.
 *
 * <p>Strategic merge knows list merge keys by field name (and, for {@code ports}, by whether the
 * list sits under a container), not from a schema: containers, initContainers, ephemeralContainers,
 * volumes, env, imagePullSecrets by {@code name}; volumeMounts by {@code mountPath}; container ports
 * by {@code containerPort}, other ports by {@code port}; conditions by {@code type}; ownerReferences
 * by {@code uid}; finalizers merge as a set. Other lists are replaced. The directives
 * {@code $patch: replace|delete|merge}, {@code $retainKeys}, {@code $deleteFromPrimitiveList/...}
 * are honoured; {@code $setElementOrder/...} is accepted and ignored.
 */
final class Patches {
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("volumes", "name"),
          Map.entry("env", "name"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("conditions", "type"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("hostAliases", "ip"),
          Map.entry("resourceClaims", "name"));
  private static final Set<String> PRIMITIVE_SETS = Set.of("finalizers");

  private Patches() {}

  /** The merge key of a list field at a path such as {@code spec.template.spec.containers}. */
  static String mergeKey(List<String> path) {
    if (path.isEmpty()) {
      return null;
    }
    String field = path.get(path.size() - 1);
    if (field.equals("ports")) {
      boolean underContainer =
          path.size() >= 2 && MERGE_KEYS.get(path.get(path.size() - 2)) != null
              || path.stream().anyMatch(p -> p.endsWith("ontainers"));
      return underContainer ? "containerPort" : "port";
    }
    return MERGE_KEYS.get(field);
  }

  static boolean isPrimitiveSet(List<String> path) {
    return !path.isEmpty() && PRIMITIVE_SETS.contains(path.get(path.size() - 1));
  }

  // ---------------------------------------------------------------- JSON merge patch (RFC 7386)

  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
    patch.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- strategic merge patch

  static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
    return mergeValue(target, patch, new ArrayList<>());
  }

  private static JsonNode mergeValue(JsonNode target, JsonNode patch, List<String> path) {
    if (patch.isObject()) {
      return mergeObject(target != null && target.isObject() ? (ObjectNode) target : null, (ObjectNode) patch, path);
    }
    if (patch.isArray() && target != null && target.isArray()) {
      return mergeList((ArrayNode) target, (ArrayNode) patch, path);
    }
    if (patch.isArray()) {
      return stripDirectives((ArrayNode) patch);
    }
    return patch.deepCopy();
  }

  private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch, List<String> path) {
    String directive = Json.str(patch, "$patch");
    if ("replace".equals(directive)) {
      ObjectNode copy = patch.deepCopy();
      copy.remove("$patch");
      return copy;
    }
    if ("delete".equals(directive)) {
      return null;
    }
    ObjectNode out = target == null ? Json.object() : target.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("$patch") || key.equals("$retainKeys") || key.startsWith("$setElementOrder/")) {
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String field = key.substring("$deleteFromPrimitiveList/".length());
        JsonNode list = out.get(field);
        if (list != null && list.isArray()) {
          Set<JsonNode> gone = new HashSet<>();
          value.forEach(gone::add);
          ArrayNode kept = Json.array();
          list.forEach(v -> {
            if (!gone.contains(v)) {
              kept.add(v);
            }
          });
          out.set(field, kept);
        }
        continue;
      }
      if (value.isNull()) {
        out.remove(key);
        continue;
      }
      path.add(key);
      JsonNode merged = mergeValue(out.get(key), value, path);
      path.remove(path.size() - 1);
      if (merged == null) {
        out.remove(key);
      } else {
        out.set(key, merged);
      }
    }
    JsonNode retain = patch.get("$retainKeys");
    if (retain != null && retain.isArray()) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      List<String> names = new ArrayList<>();
      out.fieldNames().forEachRemaining(names::add);
      names.stream().filter(n -> !keep.contains(n)).forEach(out::remove);
    }
    return out;
  }

  private static ArrayNode mergeList(ArrayNode target, ArrayNode patch, List<String> path) {
    for (JsonNode item : patch) {
      if (item.isObject() && "replace".equals(Json.str(item, "$patch"))) {
        return stripDirectives(patch);
      }
    }
    if (isPrimitiveSet(path)) {
      ArrayNode out = target.deepCopy();
      Set<JsonNode> present = new HashSet<>();
      target.forEach(present::add);
      for (JsonNode v : patch) {
        if (present.add(v)) {
          out.add(v);
        }
      }
      return out;
    }
    String key = mergeKey(path);
    if (key == null) {
      return stripDirectives(patch);
    }
    ArrayNode out = target.deepCopy();
    for (JsonNode item : patch) {
      if (!item.isObject() || !item.has(key)) {
        out.add(item.deepCopy());
        continue;
      }
      int at = indexOf(out, key, item.get(key));
      if ("delete".equals(Json.str(item, "$patch"))) {
        if (at >= 0) {
          out.remove(at);
        }
      } else if (at >= 0) {
        out.set(at, mergeObject((ObjectNode) out.get(at), (ObjectNode) item, path));
      } else {
        out.add(mergeObject(null, (ObjectNode) item, path));
      }
    }
    return out;
  }

  static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static ArrayNode stripDirectives(ArrayNode list) {
    ArrayNode out = Json.array();
    for (JsonNode item : list) {
      if (item.isObject() && item.has("$patch")) {
        if (item.size() == 1) {
          continue;
        }
        ObjectNode copy = item.deepCopy();
        copy.remove("$patch");
        out.add(copy);
      } else {
        out.add(item.deepCopy());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- JSON patch (RFC 6902)

  static JsonNode jsonPatch(JsonNode target, JsonNode ops) {
    if (!ops.isArray()) {
      throw ApiException.badRequest("a JSON patch must be an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : ops) {
      String kind = Json.str(op, "op");
      String path = Json.str(op, "path");
      if (kind == null || path == null) {
        throw ApiException.badRequest("a JSON patch operation needs \"op\" and \"path\": " + op);
      }
      doc = switch (kind) {
        case "add" -> add(doc, path, value(op));
        case "remove" -> remove(doc, path);
        case "replace" -> add(remove(doc, path), path, value(op));
        case "move" -> {
          String from = Json.str(op, "from");
          JsonNode moved = get(doc, from);
          yield add(remove(doc, from), path, moved);
        }
        case "copy" -> add(doc, path, get(doc, Json.str(op, "from")).deepCopy());
        case "test" -> {
          if (!get(doc, path).equals(value(op))) {
            throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: testing value " + path + " failed");
          }
          yield doc;
        }
        default -> throw ApiException.badRequest("unexpected JSON patch operation \"" + kind + "\"");
      };
    }
    return doc;
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw ApiException.badRequest("the JSON patch operation has no \"value\": " + op);
    }
    return op.get("value").deepCopy();
  }

  private static List<String> pointer(String path) {
    if (path == null || path.isEmpty()) {
      return List.of();
    }
    if (!path.startsWith("/")) {
      throw ApiException.badRequest("a JSON pointer must start with '/': " + path);
    }
    List<String> out = new ArrayList<>();
    for (String s : path.substring(1).split("/", -1)) {
      out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String path) {
    JsonNode node = doc;
    for (String token : pointer(path)) {
      node = node.isArray() ? node.path(parseIndex(token, node.size() - 1)) : node.path(token);
      if (node.isMissingNode()) {
        throw missing(path);
      }
    }
    return node;
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    List<String> tokens = pointer(path);
    if (tokens.isEmpty()) {
      return value;
    }
    JsonNode parent = parent(doc, tokens, path);
    String last = tokens.get(tokens.size() - 1);
    if (parent.isArray()) {
      ArrayNode list = (ArrayNode) parent;
      if (last.equals("-")) {
        list.add(value);
      } else {
        list.insert(parseIndex(last, list.size()), value);
      }
    } else if (parent.isObject()) {
      ((ObjectNode) parent).set(last, value);
    } else {
      throw missing(path);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path) {
    List<String> tokens = pointer(path);
    JsonNode parent = parent(doc, tokens, path);
    String last = tokens.get(tokens.size() - 1);
    if (parent.isArray()) {
      ((ArrayNode) parent).remove(parseIndex(last, parent.size() - 1));
    } else if (parent.isObject() && parent.has(last)) {
      ((ObjectNode) parent).remove(last);
    } else {
      throw missing(path);
    }
    return doc;
  }

  private static JsonNode parent(JsonNode doc, List<String> tokens, String path) {
    JsonNode node = doc;
    for (String token : tokens.subList(0, tokens.size() - 1)) {
      node = node.isArray() ? node.path(parseIndex(token, node.size() - 1)) : node.path(token);
      if (node.isMissingNode()) {
        throw missing(path);
      }
    }
    return node;
  }

  private static int parseIndex(String token, int max) {
    try {
      int i = Integer.parseInt(token);
      if (i < 0 || i > max) {
        throw ApiException.badRequest("the JSON patch index " + token + " is out of range");
      }
      return i;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("the JSON patch index \"" + token + "\" is not a number");
    }
  }

  private static ApiException missing(String path) {
    return new ApiException(
        422, "Invalid", "the server rejected our request due to an error in our request: the path " + path + " does not exist");
  }
}
