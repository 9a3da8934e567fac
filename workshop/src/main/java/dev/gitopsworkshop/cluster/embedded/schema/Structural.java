package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException.Cause;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What kube-apiserver does with a custom resource's structural schema: drops null values the
 * schema does not allow, applies defaults where a field is missing, and validates types,
 * required fields, enums, patterns, formats, bounds and list sizes, with the API server's wording
 * ({@code spec.interval: Invalid value: "banana": spec.interval in body should match '...'}).
 */
final class Structural {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
  private final Schema schema;
  private final List<Cause> causes = new ArrayList<>();

  private Structural(Schema schema) {
    this.schema = schema;
  }

  /** Drops disallowed nulls and applies the schema's defaults below {@code value}, in place. */
  static void defaults(Schema schema, JsonNode node, JsonNode value) {
    JsonNode s = schema.resolve(node);
    if (s == null) {
      return;
    }
    if (value instanceof ObjectNode obj) {
      JsonNode props = s.path("properties");
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      List<String> nulls = new ArrayList<>();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode ps = props.has(e.getKey()) ? schema.resolve(props.get(e.getKey())) : s.get("additionalProperties");
        if (e.getValue().isNull() && ps != null && ps.isObject() && !ps.path("nullable").asBoolean(false)) {
          nulls.add(e.getKey());
        }
      }
      nulls.forEach(obj::remove);
      props.fields().forEachRemaining(p -> {
        JsonNode ps = schema.resolve(p.getValue());
        if (!obj.has(p.getKey()) && ps != null && ps.has("default")) {
          obj.set(p.getKey(), ps.get("default").deepCopy());
        }
      });
      obj.fields().forEachRemaining(e -> {
        JsonNode ps = props.has(e.getKey()) ? props.get(e.getKey()) : s.get("additionalProperties");
        if (ps != null && ps.isObject() && !(node == schema.root() && e.getKey().equals("metadata"))) {
          defaults(schema, ps, e.getValue());
        }
      });
    } else if (value instanceof ArrayNode arr && s.has("items")) {
      arr.forEach(v -> defaults(schema, s.get("items"), v));
    }
  }

  /** Every violation of the schema below {@code value}, {@code path} naming it. */
  static List<Cause> validate(Schema schema, JsonNode node, JsonNode value, String path) {
    Structural v = new Structural(schema);
    v.check(node, value, path);
    return v.causes;
  }

  private void check(JsonNode node, JsonNode value, String path) {
    JsonNode s = schema.resolve(node);
    if (s == null || value == null) {
      return;
    }
    if (value.isNull()) {
      if (!s.path("nullable").asBoolean(false) && s.has("type")) {
        invalid(path, "null", path + " in body must be of type " + s.path("type").asText() + ": \"null\"");
      }
      return;
    }
    if (!typeMatches(s, value)) {
      String type = s.path("x-kubernetes-int-or-string").asBoolean(false) ? "integer,string" : s.path("type").asText();
      invalid(path, goType(value), path + " in body must be of type " + type + ": \"" + goType(value) + "\"");
      return;
    }
    if (s.has("enum") && !contains(s.get("enum"), value)) {
      StringBuilder supported = new StringBuilder();
      for (JsonNode e : s.get("enum")) {
        supported.append(supported.isEmpty() ? "" : ", ").append(e.toString());
      }
      causes.add(new Cause("FieldValueNotSupported", "Unsupported value: " + value + ": supported values: " + supported, path));
    }
    if (value.isTextual()) {
      String text = value.asText();
      if (s.has("maxLength") && text.codePointCount(0, text.length()) > s.get("maxLength").asInt()) {
        causes.add(new Cause("FieldValueTooLong", "Too long: may not be more than " + s.get("maxLength").asInt() + " bytes", path));
      }
      if (s.has("minLength") && text.codePointCount(0, text.length()) < s.get("minLength").asInt()) {
        invalid(path, value.toString(), path + " in body should be at least " + s.get("minLength").asInt() + " chars long");
      }
      if (s.has("pattern") && !pattern(s.get("pattern").asText()).matcher(text).find()) {
        invalid(path, value.toString(), path + " in body should match '" + s.get("pattern").asText() + "'");
      }
      if (!formatMatches(s.path("format").asText(""), text)) {
        invalid(path, value.toString(), path + " in body must be of type " + s.path("format").asText() + ": " + value);
      }
    }
    if (value.isNumber()) {
      if (s.has("minimum") && value.decimalValue().compareTo(s.get("minimum").decimalValue()) < 0) {
        invalid(path, value.toString(), path + " in body should be greater than or equal to " + s.get("minimum").asText());
      }
      if (s.has("maximum") && value.decimalValue().compareTo(s.get("maximum").decimalValue()) > 0) {
        invalid(path, value.toString(), path + " in body should be less than or equal to " + s.get("maximum").asText());
      }
    }
    if (value instanceof ArrayNode arr) {
      if (s.has("maxItems") && arr.size() > s.get("maxItems").asInt()) {
        causes.add(new Cause("FieldValueTooMany", "Too many: " + arr.size() + ": must have at most " + s.get("maxItems").asInt() + " items", path));
      }
      if (s.has("minItems") && arr.size() < s.get("minItems").asInt()) {
        invalid(path, String.valueOf(arr.size()), path + " in body should have at least " + s.get("minItems").asInt() + " items");
      }
      for (int i = 0; i < arr.size(); i++) {
        check(s.get("items"), arr.get(i), path + "[" + i + "]");
      }
    }
    if (value instanceof ObjectNode obj) {
      for (JsonNode r : s.path("required")) {
        if (!obj.has(r.asText()) || obj.get(r.asText()).isNull()) {
          causes.add(new Cause("FieldValueRequired", "Required value", child(path, r.asText())));
        }
      }
      JsonNode props = s.path("properties");
      JsonNode additional = s.get("additionalProperties");
      obj.fields().forEachRemaining(e -> {
        if (path.isEmpty() && e.getKey().equals("metadata")) {
          return; // ObjectMeta: the server's own rules
        }
        if (props.has(e.getKey())) {
          check(props.get(e.getKey()), e.getValue(), child(path, e.getKey()));
        } else if (additional != null && additional.isObject()) {
          check(additional, e.getValue(), child(path, e.getKey()));
        }
      });
    }
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private void invalid(String path, String shown, String detail) {
    String value = shown.startsWith("\"") || shown.matches("-?[0-9.eE+]+") ? shown : "\"" + shown + "\"";
    causes.add(new Cause("FieldValueInvalid", "Invalid value: " + value + ": " + detail, path));
  }

  private static boolean typeMatches(JsonNode s, JsonNode v) {
    if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return v.isTextual() || v.isIntegralNumber();
    }
    return switch (s.path("type").asText("")) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  /** The Go type name kube-openapi prints for a JSON value. */
  private static String goType(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isNull()) {
      return "null";
    }
    return v.isArray() ? "array" : "object";
  }

  private static boolean contains(JsonNode values, JsonNode v) {
    for (JsonNode e : values) {
      if (e.equals(v) || e.isNumber() && v.isNumber() && e.decimalValue().compareTo(v.decimalValue()) == 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean formatMatches(String format, String text) {
    switch (format) {
      case "date-time" -> {
        try {
          OffsetDateTime.parse(text);
          return true;
        } catch (DateTimeParseException e) {
          return false;
        }
      }
      case "int-or-string", "" -> {
        return true;
      }
      default -> {
        return true; // other formats are not checked by kube-apiserver either, or not here
      }
    }
  }

  /** Go's RE2 patterns, compiled once; one Java cannot compile matches nothing and says so. */
  private static Pattern pattern(String regex) {
    return PATTERNS.computeIfAbsent(regex, r -> {
      try {
        return Pattern.compile(r);
      } catch (PatternSyntaxException e) {
        return Pattern.compile("(?!)");
      }
    });
  }
}
