package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.cluster.embedded.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks kube-apiserver makes of a CustomResourceDefinition's schemas before it accepts one:
 * structural (every field has a type, arrays have items, types are known), patterns that compile,
 * and defaults that are valid against their own schema. Worded and placed as the API server words
 * them ({@code spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[replicas].type}).
 */
public final class CrdSchemas {
  private static final Set<String> TYPES = Set.of("array", "boolean", "integer", "number", "object", "string");

  private CrdSchemas() {}

  /** Every problem of every version's schema. */
  public static List<Cause> check(JsonNode crd) {
    List<Cause> causes = new ArrayList<>();
    JsonNode versions = crd.at("/spec/versions");
    for (int i = 0; i < versions.size(); i++) {
      JsonNode schema = versions.get(i).at("/schema/openAPIV3Schema");
      String at = "spec.versions[" + i + "].schema.openAPIV3Schema";
      if (schema.isMissingNode()) {
        if (versions.get(i).path("served").asBoolean(true)) {
          causes.add(new Cause("FieldValueRequired", "Required value: schemas are required", "spec.versions[" + i + "].schema.openAPIV3Schema"));
        }
        continue;
      }
      if (!"object".equals(schema.path("type").asText())) {
        causes.add(schema.has("type")
            ? new Cause("FieldValueInvalid", "Invalid value: \"" + schema.path("type").asText() + "\": must be object at the root", at + ".type")
            : new Cause("FieldValueRequired", "Required value: must not be empty at the root", at + ".type"));
      }
      node(schema, at, "", causes, true);
    }
    return causes;
  }

  private static void node(JsonNode s, String at, String dataPath, List<Cause> causes, boolean root) {
    boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
    boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (s.has("x-kubernetes-preserve-unknown-fields") && !preserve) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: false: must be true or undefined", at + ".x-kubernetes-preserve-unknown-fields"));
    }
    if (s.has("$ref")) {
      causes.add(new Cause("FieldValueForbidden", "Forbidden: $ref is not supported", at + ".$ref"));
    }
    String type = s.path("type").asText("");
    if (!type.isEmpty() && !TYPES.contains(type)) {
      causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + type
          + "\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"", at + ".type"));
    } else if (type.isEmpty() && !root && !intOrString && !preserve) {
      causes.add(new Cause("FieldValueRequired", "Required value: must not be empty for specified object fields", at + ".type"));
    }
    if ("array".equals(type) && !s.has("items")) {
      causes.add(new Cause("FieldValueRequired", "Required value: must be specified", at + ".items"));
    }
    if (s.has("pattern")) {
      try {
        Pattern.compile(s.get("pattern").asText());
      } catch (PatternSyntaxException e) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + s.get("pattern").asText()
            + "\": must be a valid regular expression, but isn't: " + e.getDescription(), at + ".pattern"));
      }
    }
    if (s.has("default")) {
      Schema self = new Schema(s, name -> null, false);
      for (Cause c : Structural.validate(self, s, s.get("default"), dataPath)) {
        causes.add(new Cause("FieldValueInvalid", "Invalid value: " + s.get("default") + ": " + c.field() + ": " + c.message(), at + ".default"));
      }
    }
    for (Map.Entry<String, JsonNode> p : (Iterable<Map.Entry<String, JsonNode>>) () -> s.path("properties").fields()) {
      node(p.getValue(), at + ".properties[" + p.getKey() + "]", dataPath.isEmpty() ? p.getKey() : dataPath + "." + p.getKey(), causes, false);
    }
    if (s.path("items").isObject()) {
      node(s.get("items"), at + ".items", dataPath + "[0]", causes, false);
    }
    if (s.path("additionalProperties").isObject()) {
      node(s.get("additionalProperties"), at + ".additionalProperties", dataPath, causes, false);
    }
    if (s.path("properties").size() > 0 && s.path("additionalProperties").isObject()) {
      causes.add(new Cause("FieldValueForbidden", "Forbidden: additionalProperties and properties are mutual exclusive", at + ".additionalProperties"));
    }
  }
}
