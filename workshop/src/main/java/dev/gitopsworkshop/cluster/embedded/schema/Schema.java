package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * A structural schema (OpenAPI v3, as CustomResourceDefinitions and the OpenAPI documents write
 * them) with the definitions its {@code $ref}s point to.
 *
 * @param root the schema of the whole object
 * @param definitions looks a definition up by name ({@code null} when unknown)
 * @param typed true for built-in kinds (fabric8's model): decoding errors are Go's, and there is
 *     no defaulting or validation from the schema
 */
public record Schema(JsonNode root, Function<String, JsonNode> definitions, boolean typed) {

  /** The schema itself, or what its {@code $ref} (or a lone {@code allOf: [{$ref}]}) points to. */
  public JsonNode resolve(JsonNode s) {
    for (int hops = 0; s != null && hops < 8; hops++) {
      if (s.has("$ref")) {
        s = definitions.apply(TypedSchemas.refName(s.get("$ref").asText()));
      } else if (s.path("allOf").size() == 1 && s.path("allOf").get(0).has("$ref")) {
        s = s.path("allOf").get(0);
      } else {
        return s;
      }
    }
    return s;
  }

  /** The definition name of a schema that is a reference, or null. */
  static String refName(JsonNode s) {
    if (s.has("$ref")) {
      return TypedSchemas.refName(s.get("$ref").asText());
    }
    if (s.path("allOf").size() == 1 && s.path("allOf").get(0).has("$ref")) {
      return TypedSchemas.refName(s.path("allOf").get(0).get("$ref").asText());
    }
    return null;
  }

  /** Whether a schema lets its object keep fields it does not declare. */
  static boolean preservesUnknown(JsonNode s) {
    return s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
  }
}
