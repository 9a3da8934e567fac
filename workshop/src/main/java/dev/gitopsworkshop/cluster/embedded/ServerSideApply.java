package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply, approximated. Each field manager's applied configuration is remembered in
 * {@code metadata.managedFields} (operation Apply, FieldsV1) as the set of fields it named, with
 * lists owned whole. Applying merges the new configuration into the live object with the strategic
 * merge rules, then removes the fields this manager applied last time and no longer names. Conflicts
 * between managers are not detected (every apply behaves as if forced), which is what Flux's
 * kustomize-controller asks for anyway.
 */
final class ServerSideApply {
  private ServerSideApply() {}

  /** The live object after {@code manager} applied {@code config}. */
  static ObjectNode apply(ObjectNode live, ObjectNode config, String manager, String apiVersion) {
    ObjectNode fields = fieldSet(config);
    ObjectNode previous = previousFields(live, manager);
    ObjectNode merged = (ObjectNode) Patches.strategicMerge(live, withoutManagedFields(config));
    if (previous != null) {
      removeDropped(merged, previous, fields);
    }
    setManagedFields(merged, manager, apiVersion, fields);
    return merged;
  }

  /** A new object created by an apply: the configuration plus its managed-fields entry. */
  static ObjectNode create(ObjectNode config, String manager, String apiVersion) {
    ObjectNode obj = withoutManagedFields(config);
    setManagedFields(obj, manager, apiVersion, fieldSet(config));
    return obj;
  }

  private static ObjectNode withoutManagedFields(ObjectNode config) {
    ObjectNode copy = config.deepCopy();
    copy.with("metadata").remove("managedFields");
    return copy;
  }

  /** FieldsV1 of a configuration: {"f:spec":{"f:replicas":{}}}; lists and scalars are leaves. */
  static ObjectNode fieldSet(JsonNode config) {
    ObjectNode out = Json.object();
    Iterator<Map.Entry<String, JsonNode>> it = config.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("apiVersion") || e.getKey().equals("kind") || e.getKey().equals("status")) {
        continue;
      }
      if (e.getKey().equals("metadata")) {
        ObjectNode meta = Json.object();
        for (String kept : List.of("labels", "annotations")) {
          if (e.getValue().has(kept)) {
            meta.set("f:" + kept, fieldSet(e.getValue().get(kept)));
          }
        }
        if (!meta.isEmpty()) {
          out.set("f:metadata", meta);
        }
        continue;
      }
      out.set("f:" + e.getKey(), e.getValue().isObject() ? fieldSet(e.getValue()) : Json.object());
    }
    return out;
  }

  private static ObjectNode previousFields(ObjectNode live, String manager) {
    for (JsonNode entry : live.at("/metadata/managedFields")) {
      if (manager.equals(entry.path("manager").asText()) && "Apply".equals(entry.path("operation").asText())) {
        return entry.path("fieldsV1").isObject() ? (ObjectNode) entry.path("fieldsV1") : null;
      }
    }
    return null;
  }

  private static void removeDropped(ObjectNode target, JsonNode previous, JsonNode current) {
    List<String> drop = new ArrayList<>();
    previous.fieldNames().forEachRemaining(
        f -> {
          if (!f.startsWith("f:")) {
            return;
          }
          String name = f.substring(2);
          JsonNode now = current.get(f);
          if (now == null) {
            drop.add(name);
          } else if (target.get(name) instanceof ObjectNode child && previous.get(f).size() > 0) {
            removeDropped(child, previous.get(f), now);
          }
        });
    drop.forEach(target::remove);
  }

  private static void setManagedFields(ObjectNode obj, String manager, String apiVersion, ObjectNode fields) {
    ArrayNode entries = Json.array();
    for (JsonNode e : obj.at("/metadata/managedFields")) {
      if (!(manager.equals(e.path("manager").asText()) && "Apply".equals(e.path("operation").asText()))) {
        entries.add(e);
      }
    }
    ObjectNode entry = entries.addObject();
    entry.put("manager", manager);
    entry.put("operation", "Apply");
    entry.put("apiVersion", apiVersion);
    entry.put("time", ResourceStore.now());
    entry.put("fieldsType", "FieldsV1");
    entry.set("fieldsV1", fields);
    obj.with("metadata").set("managedFields", entries);
  }
}
