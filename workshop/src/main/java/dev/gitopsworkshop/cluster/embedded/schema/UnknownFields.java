package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the fields of an object its schema does not declare, as kube-apiserver's strict decoder
 * and pruning find them ({@code spec.replica}, {@code spec.template.spec.containers[0].imagePullPolcy}),
 * and removes them. For built-in kinds it also finds the first value of the wrong JSON type and
 * words it as Go's decoder does ({@code json: cannot unmarshal string into Go struct field
 * DeploymentSpec.spec.replicas of type int32}).
 */
final class UnknownFields {
  final List<String> paths = new ArrayList<>();
  String typeError;
  private final Schema schema;
  private final JsonNode objectMeta;

  /**
   * @param objectMeta the schema of ObjectMeta: {@code metadata} at the root (and of an embedded
   *     resource) declares its own fields, whatever the CRD says of it
   */
  UnknownFields(Schema schema, JsonNode objectMeta) {
    this.schema = schema;
    this.objectMeta = objectMeta;
  }

  /** Walks {@code value} (the whole object), removing unknown fields when {@code prune}. */
  void walk(JsonNode value, boolean prune) {
    walk(schema.root(), value, "", "", null, prune, true);
  }

  private void walk(JsonNode s, JsonNode value, String path, String goPath, String struct, boolean prune, boolean root) {
    String refName = s == null ? null : Schema.refName(s);
    JsonNode sch = schema.resolve(s);
    if (sch == null || value == null || value.isNull()) {
      return;
    }
    if (schema.typed()) {
      typeCheck(sch, refName, value, goPath, struct);
    }
    if (value instanceof ObjectNode obj) {
      boolean embedded = root || sch.path("x-kubernetes-embedded-resource").asBoolean(false);
      JsonNode props = sch.path("properties");
      JsonNode additional = sch.get("additionalProperties");
      boolean open = Schema.preservesUnknown(sch) || additional != null && additional.isBoolean() && additional.asBoolean();
      String childStruct = refName == null ? struct : refName.substring(refName.lastIndexOf('.') + 1);
      for (String name : names(obj)) {
        String childPath = path.isEmpty() ? name : path + "." + name;
        String childGo = goPath.isEmpty() ? name : goPath + "." + name;
        JsonNode child = obj.get(name);
        if (embedded && name.equals("metadata") && objectMeta != null) {
          walk(objectMeta, child, childPath, childGo, "ObjectMeta", prune, false);
        } else if (embedded && (name.equals("apiVersion") || name.equals("kind"))) {
          continue;
        } else if (props.has(name)) {
          walk(props.get(name), child, childPath, childGo, childStruct, prune, false);
        } else if (additional != null && additional.isObject()) {
          walk(additional, child, childPath, childGo, childStruct, prune, false);
        } else if (!open && (props.size() > 0 || "object".equals(sch.path("type").asText()))) {
          paths.add(childPath);
          if (prune) {
            obj.remove(name);
          }
        }
      }
    } else if (value instanceof ArrayNode arr && sch.has("items")) {
      for (int i = 0; i < arr.size(); i++) {
        walk(sch.get("items"), arr.get(i), path + "[" + i + "]", goPath, struct, prune, false);
      }
    }
  }

  private static List<String> names(ObjectNode obj) {
    List<String> names = new ArrayList<>();
    obj.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Go's decoding of the typed object: the first value whose JSON type the field cannot take. */
  private void typeCheck(JsonNode sch, String refName, JsonNode value, String goPath, String struct) {
    if (typeError != null || struct == null) {
      return;
    }
    String type = sch.path("type").asText("");
    String goType = switch (type) {
      case "string" -> value.isTextual() ? null : "string";
      case "integer" -> value.isIntegralNumber() ? null : "int" + (sch.path("format").asText("int64").equals("int32") ? "32" : "64");
      case "number" -> value.isNumber() ? null : "float64";
      case "boolean" -> value.isBoolean() ? null : "bool";
      case "array" -> value.isArray() ? null : "[]" + goName(sch.get("items"));
      case "object" -> value.isObject() ? null : refName != null ? "v1." + refName.substring(refName.lastIndexOf('.') + 1) : "map[string]string";
      default -> null;
    };
    if (sch.path("x-kubernetes-int-or-string").asBoolean(false) && !(value.isTextual() || value.isIntegralNumber())) {
      goType = "intstr.IntOrString";
    }
    if (goType != null) {
      typeError = "json: cannot unmarshal " + jsonType(value) + " into Go struct field " + struct + "." + goPath + " of type " + goType;
    }
  }

  private String goName(JsonNode items) {
    String ref = items == null ? null : Schema.refName(items);
    if (ref != null) {
      return "v1." + ref.substring(ref.lastIndexOf('.') + 1);
    }
    return items == null ? "interface {}" : switch (items.path("type").asText("")) {
      case "integer" -> "int32";
      case "boolean" -> "bool";
      default -> "string";
    };
  }

  static String jsonType(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "bool";
    }
    return v.isArray() ? "array" : "object";
  }
}
