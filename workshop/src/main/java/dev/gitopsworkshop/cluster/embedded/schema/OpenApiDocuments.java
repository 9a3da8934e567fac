package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schemas of a group version's kinds for the OpenAPI documents kubectl reads ({@code kubectl
 * explain}, the strategic merge patches of {@code kubectl apply}, whether the server validates
 * fields): built-in kinds from fabric8's model, with Kubernetes' patch merge keys; custom resources
 * from their CRD's schema, named as kube-apiserver names them ({@code
 * io.fluxcd.toolkit.kustomize.v1.Kustomization}), with ObjectMeta for their metadata.
 */
public final class OpenApiDocuments {
  private final Schemas schemas;
  private final Map<String, Cached> documents = new java.util.concurrent.ConcurrentHashMap<>();

  private record Cached(List<Object> key, ObjectNode document) {}

  public OpenApiDocuments(Schemas schemas) {
    this.schemas = schemas;
  }

  /**
   * What a group version's document is made of (its kinds, and the CRD schemas they come from):
   * equal keys, equal documents. Its hash names the document in the OpenAPI index, as kubectl
   * caches by it.
   */
  public List<Object> key(List<ResourceType> kinds) {
    List<Object> key = new ArrayList<>();
    for (ResourceType t : kinds) {
      key.add(t);
      schemas.customSchema(t).ifPresent(s -> key.add(System.identityHashCode(s)));
    }
    return key;
  }

  /** A group version's document, made by {@code build} once for each key. */
  public ObjectNode document(String groupVersion, List<ResourceType> kinds, java.util.function.Supplier<ObjectNode> build) {
    List<Object> key = key(kinds);
    Cached cached = documents.get(groupVersion);
    if (cached != null && cached.key().equals(key)) {
      return cached.document();
    }
    ObjectNode doc = build.get();
    documents.put(groupVersion, new Cached(key, doc));
    return doc;
  }

  /** The schemas of these kinds and everything they refer to, by definition name. */
  public Map<String, JsonNode> components(List<ResourceType> kinds) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    TypedSchemas typed = schemas.typed();
    Deque<String> pending = new ArrayDeque<>();
    for (ResourceType t : kinds) {
      if (t.builtIn()) {
        typed.kind(t.group(), t.version(), t.kind()).ifPresent(pending::add);
        continue;
      }
      Optional<JsonNode> custom = schemas.customSchema(t);
      if (custom.isEmpty()) {
        continue;
      }
      ObjectNode def = custom.get().deepCopy();
      String meta = typed.of(ObjectMeta.class);
      ObjectNode props = def.with("properties");
      ObjectNode metadata = JsonNodeFactory.instance.objectNode();
      metadata.put("description", "Standard object's metadata.");
      metadata.putArray("allOf").addObject().put("$ref", TypedSchemas.ref(meta));
      props.set("metadata", metadata);
      def.putArray("x-kubernetes-group-version-kind").addObject()
          .put("group", t.group()).put("version", t.version()).put("kind", t.kind());
      out.put(customName(t), def);
      pending.add(meta);
    }
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (out.containsKey(name)) {
        continue;
      }
      JsonNode def = typed.documented(name);
      if (def == null) {
        continue;
      }
      out.put(name, def);
      refs(def, pending);
    }
    return out;
  }

  /** {@code io.fluxcd.toolkit.kustomize.v1.Kustomization}: the group reversed, the version, the kind. */
  static String customName(ResourceType t) {
    List<String> parts = new ArrayList<>(List.of(t.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + t.version() + "." + t.kind();
  }

  /** The same schemas for a Swagger 2.0 document: references to {@code #/definitions/}. */
  public static JsonNode swagger(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    rewrite(copy);
    return copy;
  }

  private static void rewrite(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("$ref")) {
        o.put("$ref", "#/definitions/" + TypedSchemas.refName(o.get("$ref").asText()));
      }
      o.elements().forEachRemaining(OpenApiDocuments::rewrite);
    } else if (node instanceof ArrayNode a) {
      a.forEach(OpenApiDocuments::rewrite);
    }
  }

  private static void refs(JsonNode node, Deque<String> into) {
    if (node instanceof ObjectNode o) {
      JsonNode ref = o.get("$ref");
      if (ref != null && ref.isTextual()) {
        into.add(TypedSchemas.refName(ref.asText()));
      }
      Iterator<JsonNode> it = o.elements();
      while (it.hasNext()) {
        refs(it.next(), into);
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(n -> refs(n, into));
    }
  }
}
