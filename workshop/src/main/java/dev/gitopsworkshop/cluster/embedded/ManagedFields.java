package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field sets in the {@code FieldsV1} form of {@code metadata.managedFields}: a tree whose keys are
 * {@code f:<field>}, {@code k:<merge key as JSON>} for list items merged by key and
 * {@code v:<value as JSON>} for set members; {@code .} marks an item that is owned as a whole.
 */
final class ManagedFields {
  private static final Set<String> UNOWNED_METADATA =
      Set.of("name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
          "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");

  private ManagedFields() {}

  /** The fields an applied configuration sets. */
  static ObjectNode of(ObjectNode applied) {
    ObjectNode tree = Json.object();
    Iterator<Map.Entry<String, JsonNode>> it = applied.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals("apiVersion") || k.equals("kind") || k.equals("status")) {
        continue;
      }
      if (k.equals("metadata") && e.getValue().isObject()) {
        ObjectNode meta = Json.object();
        e.getValue().fields().forEachRemaining(m -> {
          if (!UNOWNED_METADATA.contains(m.getKey())) {
            meta.set("f:" + m.getKey(), value(m.getValue(), new ArrayList<>(List.of("metadata", m.getKey()))));
          }
        });
        if (meta.size() > 0) {
          tree.set("f:metadata", meta);
        }
        continue;
      }
      tree.set("f:" + k, value(e.getValue(), new ArrayList<>(List.of(k))));
    }
    return tree;
  }

  private static ObjectNode value(JsonNode v, List<String> path) {
    ObjectNode out = Json.object();
    if (v.isObject()) {
      v.fields().forEachRemaining(e -> {
        path.add(e.getKey());
        out.set("f:" + e.getKey(), value(e.getValue(), path));
        path.remove(path.size() - 1);
      });
    } else if (v.isArray()) {
      String key = Patches.mergeKey(path);
      if (Patches.isPrimitiveSet(path)) {
        v.forEach(item -> out.putObject("v:" + Json.text(item)));
      } else if (key != null) {
        for (JsonNode item : v) {
          if (item.isObject() && item.has(key)) {
            ObjectNode child = value(item, path);
            child.putObject(".");
            out.set(itemKey(key, item), child);
          }
        }
      }
    }
    return out;
  }

  static String itemKey(String key, JsonNode item) {
    ObjectNode k = Json.object();
    k.set(key, item.get(key));
    return "k:" + Json.text(k);
  }

  /**
   * Removes from {@code live} what {@code before} owned and {@code after} no longer does, unless
   * one of {@code others} (other managers' sets) still owns it.
   */
  static void removeDropped(JsonNode live, JsonNode before, JsonNode after, List<JsonNode> others) {
    if (live == null || before == null) {
      return;
    }
    Iterator<String> names = before.fieldNames();
    List<String> keys = new ArrayList<>();
    names.forEachRemaining(keys::add);
    for (String key : keys) {
      if (key.equals(".")) {
        continue;
      }
      List<JsonNode> othersChild = new ArrayList<>();
      for (JsonNode o : others) {
        if (o != null && o.has(key)) {
          othersChild.add(o.get(key));
        }
      }
      JsonNode afterChild = after == null ? null : after.get(key);
      if (afterChild == null) {
        if (othersChild.isEmpty()) {
          remove(live, key);
        }
      } else {
        removeDropped(child(live, key), before.get(key), afterChild, othersChild);
      }
    }
  }

  private static JsonNode child(JsonNode live, String key) {
    if (key.startsWith("f:") && live.isObject()) {
      return live.get(key.substring(2));
    }
    if (key.startsWith("k:") && live.isArray()) {
      int i = indexOfItem((ArrayNode) live, key);
      return i < 0 ? null : live.get(i);
    }
    return null;
  }

  private static void remove(JsonNode live, String key) {
    if (key.startsWith("f:") && live.isObject()) {
      ((ObjectNode) live).remove(key.substring(2));
    } else if (key.startsWith("k:") && live.isArray()) {
      int i = indexOfItem((ArrayNode) live, key);
      if (i >= 0) {
        ((ArrayNode) live).remove(i);
      }
    } else if (key.startsWith("v:") && live.isArray()) {
      JsonNode value = Json.parse(key.substring(2).getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
      for (int i = live.size() - 1; i >= 0; i--) {
        if (live.get(i).equals(value)) {
          ((ArrayNode) live).remove(i);
        }
      }
    }
  }

  private static int indexOfItem(ArrayNode list, String key) {
    JsonNode wanted = Json.parse(key.substring(2).getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      boolean all = true;
      Iterator<Map.Entry<String, JsonNode>> it = wanted.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().equals(item.get(e.getKey()))) {
          all = false;
        }
      }
      if (all) {
        return i;
      }
    }
    return -1;
  }

  /** The leaf paths of a field set, each as its list of keys ({@code f:spec}, {@code f:replicas}). */
  static List<List<String>> leaves(JsonNode tree) {
    List<List<String>> out = new ArrayList<>();
    leaves(tree, new ArrayList<>(), out);
    return out;
  }

  private static void leaves(JsonNode tree, List<String> prefix, List<List<String>> out) {
    tree.fields().forEachRemaining(e -> {
      if (e.getKey().equals(".")) {
        return;
      }
      prefix.add(e.getKey());
      if (e.getValue().size() == 0) {
        out.add(List.copyOf(prefix));
      } else {
        leaves(e.getValue(), prefix, out);
      }
      prefix.remove(prefix.size() - 1);
    });
  }

  /** A leaf path as kube-apiserver names it in conflicts: {@code .spec.replicas}. */
  static String display(List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      sb.append(k.startsWith("f:") ? "." + k.substring(2) : "[" + k.substring(2) + "]");
    }
    return sb.toString();
  }

  /** The value at a leaf path in an object, or null. */
  static JsonNode at(JsonNode obj, List<String> keys) {
    JsonNode node = obj;
    for (String k : keys) {
      if (node == null) {
        return null;
      }
      if (k.startsWith("v:")) {
        return node;
      }
      node = child(node, k);
    }
    return node;
  }

  /** Whether a field set contains a path. */
  static boolean contains(JsonNode tree, List<String> keys) {
    JsonNode node = tree;
    for (String k : keys) {
      node = node == null ? null : node.get(k);
    }
    return node != null;
  }
}
