package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.ApiException.Cause;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas the embedded API server enforces, as kube-apiserver does: built-in kinds by
 * fabric8's typed model, custom resources by their CRD's structural schema. {@link #decode} is the
 * strict decoding of a write (unknown and duplicate fields, per {@link FieldValidation}; values of
 * the wrong type for built-in kinds), {@link #admit} the defaulting and validation of a custom
 * resource before it is stored.
 */
public final class Schemas {
  private static final Logger LOG = LoggerFactory.getLogger(Schemas.class);
  private final TypedSchemas typed = new TypedSchemas();
  private final Map<String, JsonNode> custom = new ConcurrentHashMap<>();

  /** What a write is: its unknown fields are reported differently. */
  public enum Write { CREATE_OR_UPDATE, PATCH, APPLY }

  public TypedSchemas typed() {
    return typed;
  }

  /** Takes the schema of every served version of a CRD (replacing what it had). */
  public void register(JsonNode crd) {
    String group = crd.at("/spec/group").asText();
    String plural = crd.at("/spec/names/plural").asText();
    forget(group, plural);
    for (JsonNode v : crd.at("/spec/versions")) {
      JsonNode schema = v.at("/schema/openAPIV3Schema");
      if (schema.isObject()) {
        custom.put(group + "/" + v.path("name").asText() + "/" + plural, schema);
      }
    }
  }

  /** Drops every version's schema of a custom resource (its CRD went). */
  public void forget(String group, String plural) {
    custom.keySet().removeIf(k -> k.startsWith(group + "/") && k.endsWith("/" + plural));
  }

  /** The schema of a kind, if it has one. */
  public Optional<Schema> of(ResourceType type) {
    if (type.builtIn()) {
      return typed.kind(type.group(), type.version(), type.kind())
          .map(name -> new Schema(JsonNodeFactory.instance.objectNode().put("$ref", TypedSchemas.ref(name)), typed::definition, true));
    }
    JsonNode root = custom.get(type.group() + "/" + type.version() + "/" + type.plural());
    return root == null ? Optional.empty() : Optional.of(new Schema(root, typed::definition, false));
  }

  /** The OpenAPI schema of a custom resource's version, as its CRD gave it. */
  public Optional<JsonNode> customSchema(ResourceType type) {
    return Optional.ofNullable(custom.get(type.group() + "/" + type.version() + "/" + type.plural()));
  }

  /**
   * Strict decoding of a write's object: unknown fields are dropped, and with {@code Strict} they
   * (and the body's duplicate fields) refuse the write; with {@code Warn} each becomes a warning.
   * A value of the wrong type in a built-in kind is refused whatever the directive.
   *
   * @param body the request body as read, with its duplicate fields (null: none known)
   * @param warn hears each warning when the directive is Warn
   */
  public void decode(ResourceType type, ObjectNode obj, Write write, FieldValidation validation, Body body, Consumer<String> warn) {
    Optional<Schema> schema = of(type);
    List<String> unknown = new ArrayList<>();
    if (schema.isPresent()) {
      UnknownFields walk = new UnknownFields(schema.get(), objectMeta());
      walk.walk(obj, write != Write.APPLY);
      if (walk.typeError != null) {
        throw ApiException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": " + walk.typeError);
      }
      unknown = walk.paths;
      if (!unknown.isEmpty()) {
        LOG.debug("{} {} ({}): unknown fields {}", write, type.kind(), validation, unknown);
      }
    }
    List<String> duplicates = body == null ? List.of() : body.duplicates();
    if (write == Write.APPLY) {
      applyErrors(type, obj, validation, duplicates, unknown, warn);
      return;
    }
    List<String> problems = problems(type, write, body, duplicates, unknown);
    if (problems.isEmpty() || validation == FieldValidation.IGNORE) {
      return;
    }
    if (validation == FieldValidation.WARN) {
      problems.forEach(warn);
      return;
    }
    String detail = "strict decoding error: " + (body != null && body.yaml() && !duplicates.isEmpty()
        ? "yaml: unmarshal errors:\n  " + String.join("\n  ", duplicates) + (unknown.isEmpty() ? "" : ", ")
            + String.join(", ", problems.subList(duplicates.size(), problems.size()))
        : String.join(", ", problems));
    throw ApiException.badRequest(write == Write.PATCH ? detail
        : type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": " + detail);
  }

  /**
   * The problems in the order kube-apiserver reports them: a typed JSON object's in one pass over
   * the document; otherwise the duplicates first, then the unknown fields (sorted where the server
   * decodes a re-encoded object: a patched one, or a built-in kind sent as YAML).
   */
  private static List<String> problems(ResourceType type, Write write, Body body, List<String> duplicates, List<String> unknown) {
    List<String> out = new ArrayList<>();
    if (write == Write.CREATE_OR_UPDATE && body != null && !body.yaml() && type.builtIn() && !body.fieldOrder().isEmpty()) {
      // a typed JSON object: one pass over the document, duplicates and unknown fields as they come
      List<String> pending = new ArrayList<>(unknown);
      for (String f : body.fieldOrder()) {
        if (f.startsWith("\0")) {
          if (!unknown.contains(f.substring(1))) {
            out.add("duplicate field \"" + f.substring(1) + "\"");
          }
        } else if (pending.remove(f)) {
          out.add("unknown field \"" + f + "\"");
        }
      }
      pending.forEach(f -> out.add("unknown field \"" + f + "\""));
      return out;
    }
    out.addAll(duplicates);
    List<String> sorted = new ArrayList<>(unknown);
    if (write == Write.PATCH || body != null && body.yaml() && type.builtIn()) {
      Collections.sort(sorted);
    }
    sorted.forEach(f -> out.add("unknown field \"" + f + "\""));
    return out;
  }

  /** Server-side apply: duplicates per the directive, unknown fields always refused (the typed patch cannot hold them). */
  private static void applyErrors(ResourceType type, ObjectNode config, FieldValidation validation, List<String> duplicates,
      List<String> unknown, Consumer<String> warn) {
    if (!duplicates.isEmpty() && validation == FieldValidation.STRICT) {
      throw ApiException.badRequest("error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  "
          + String.join("\n  ", duplicates));
    }
    if (!duplicates.isEmpty() && validation == FieldValidation.WARN) {
      duplicates.forEach(warn);
    }
    if (!unknown.isEmpty()) {
      String ns = config.at("/metadata/namespace").asText("");
      String what = "(" + ns + "/" + config.at("/metadata/name").asText("") + "; " + type.apiVersion() + ", Kind=" + type.kind() + ")";
      List<String> lines = unknown.stream().map(p -> "." + p + ": field not declared in schema").toList();
      String msg = "failed to create typed patch object " + what + ": "
          + (lines.size() == 1 ? lines.get(0) : "errors:\n  " + String.join("\n  ", lines));
      throw new ApiException(500, "InternalError", msg);
    }
  }

  /**
   * Defaulting and validation of a custom resource before it is stored ({@code statusOnly}: a
   * write of the status subresource, where only the status is checked). 422 naming each invalid
   * field, with the kind qualified by its group as kube-apiserver words it.
   */
  public void admit(ResourceType type, ObjectNode obj, boolean statusOnly) {
    if (type.builtIn()) {
      return;
    }
    Optional<Schema> schema = of(type);
    if (schema.isEmpty()) {
      return;
    }
    Schema s = schema.get();
    List<Cause> causes;
    if (statusOnly) {
      JsonNode statusSchema = s.resolve(s.root()).at("/properties/status");
      if (statusSchema.isMissingNode() || !obj.has("status")) {
        return;
      }
      Structural.defaults(s, statusSchema, obj.get("status"));
      causes = Structural.validate(s, statusSchema, obj.get("status"), "status");
    } else {
      // with a status subresource, a write of the object keeps the stored status: the body's is not checked
      JsonNode given = type.hasStatus() ? obj.remove("status") : null;
      JsonNode root = s.root();
      Structural.defaults(s, root, obj);
      causes = Structural.validate(s, root, obj, "");
      if (given != null) {
        obj.set("status", given);
      }
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid(type.kind() + "." + type.group(), obj.at("/metadata/name").asText(""), causes);
    }
  }

  private JsonNode objectMeta() {
    return JsonNodeFactory.instance.objectNode().put("$ref", TypedSchemas.ref(typed.of(ObjectMeta.class)));
  }
}
