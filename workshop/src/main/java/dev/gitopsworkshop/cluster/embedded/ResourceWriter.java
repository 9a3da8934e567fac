package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The writing verbs: create, replace, patch (JSON, merge, strategic, apply) and delete, each
 * checked (namespace exists, body matches the URL, validation) before the store sees it.
 */
final class ResourceWriter {
  private static final int PATCH_ATTEMPTS = 5;

  private final ResourceStore store;
  private final ResourceTypes types;
  private final CrdRegistrar crds;

  ResourceWriter(ResourceStore store, ResourceTypes types, CrdRegistrar crds) {
    this.store = store;
    this.types = types;
    this.crds = crds;
  }

  ObjectNode create(ApiRequest req, ResourceType type, byte[] body) {
    ObjectNode obj = Json.parseObject(body, req.yamlBody());
    checkKind(type, obj);
    ObjectNode meta = metadata(obj);
    reconcileNamespace(req, type, meta);
    return createChecked(req, type, obj);
  }

  /** Creates an object whose body was already matched to the URL. */
  ObjectNode createChecked(ApiRequest req, ResourceType type, ObjectNode obj) {
    if (type.namespaced()) {
      requireNamespace(obj.path("metadata").path("namespace").asText(), true);
    }
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
    ObjectNode meta = metadata(obj);
    meta.remove("resourceVersion");
    meta.remove("uid");
    meta.remove("deletionTimestamp");
    if (type.hasStatus()) {
      obj.remove("status");
    }
    Defaults.apply(type, obj);
    Validation.validate(type, obj);
    crds.check(type, obj);
    ObjectNode created = store.create(type, obj, req.dryRun());
    return req.dryRun() ? created : crds.created(type, created);
  }

  ObjectNode replace(ApiRequest req, ResourceType type, byte[] body, ResourceStore.Part part) {
    ObjectNode obj = Json.parseObject(body, req.yamlBody());
    checkKind(type, obj);
    ObjectNode meta = metadata(obj);
    reconcileNamespace(req, type, meta);
    String name = meta.path("name").asText("");
    if (!name.equals(req.name())) {
      throw ApiException.badRequest(
          "the name of the object (" + name + ") does not match the name on the URL (" + req.name() + ")");
    }
    return update(req, type, obj, part);
  }

  private ObjectNode update(ApiRequest req, ResourceType type, ObjectNode obj, ResourceStore.Part part) {
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
    if (part == ResourceStore.Part.MAIN) {
      Defaults.apply(type, obj);
      Validation.validate(type, obj);
      crds.check(type, obj);
    }
    ObjectNode updated = store.update(type, obj, part, req.dryRun());
    return req.dryRun() ? updated : crds.updated(type, updated);
  }

  Reply patch(ApiRequest req, ResourceType type, byte[] body, ResourceStore.Part part) {
    String ct = req.contentType().toLowerCase();
    if (ct.startsWith("application/apply-patch")) {
      return new ServerSideApply(this, store).apply(req, type, body);
    }
    boolean strategic = ct.startsWith("application/strategic-merge-patch+json");
    boolean merge = ct.startsWith("application/merge-patch+json");
    boolean json = ct.startsWith("application/json-patch+json");
    if (!strategic && !merge && !json) {
      throw new ApiException(415, "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include: "
              + "application/json-patch+json, application/merge-patch+json, "
              + "application/apply-patch+yaml, application/strategic-merge-patch+json");
    }
    JsonNode patch = Json.parse(body, false);
    for (int attempt = 1; ; attempt++) {
      ObjectNode current = store.get(type, req.namespace(), req.name())
          .orElseThrow(() -> ApiException.notFound(type, req.name()));
      JsonNode result = json ? Patches.jsonPatch(current, patch)
          : merge ? Patches.mergePatch(current, patch)
          : Patches.strategicMerge(current, patch);
      if (!result.isObject()) {
        throw ApiException.badRequest("the patch did not produce an object");
      }
      ObjectNode patched = (ObjectNode) result;
      ObjectNode meta = metadata(patched);
      meta.put("name", req.name());
      if (type.namespaced()) {
        meta.put("namespace", req.namespace());
      }
      try {
        return Reply.ok(update(req, type, patched, part));
      } catch (ApiException e) {
        boolean ownVersion = current.path("metadata").path("resourceVersion")
            .equals(patched.path("metadata").path("resourceVersion"));
        if (e.code() != 409 || !ownVersion || attempt == PATCH_ATTEMPTS || "AlreadyExists".equals(e.reason())) {
          throw e;
        }
      }
    }
  }

  /** Stores the result of a server-side apply: a create when {@code existing} is empty. */
  ObjectNode applyResult(ApiRequest req, ResourceType type, ObjectNode obj, Optional<ObjectNode> existing) {
    if (existing.isEmpty()) {
      return createChecked(req, type, obj);
    }
    return update(req, type, obj, ResourceStore.Part.MAIN);
  }

  ObjectNode delete(ApiRequest req, ResourceType type, String name, byte[] body) {
    JsonNode options = body == null || body.length == 0 ? Json.object() : Json.parse(body, req.yamlBody());
    String propagation = Optional.ofNullable(req.param("propagationPolicy"))
        .orElse(options.path("propagationPolicy").asText("Background"));
    if (!propagation.equals("Background") && !propagation.equals("Foreground") && !propagation.equals("Orphan")) {
      throw ApiException.invalid("DeleteOptions", "", "propagationPolicy", "Unsupported value: \"" + propagation
          + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
    }
    boolean dryRun = req.dryRun() || options.path("dryRun").size() > 0;
    String uid = options.path("preconditions").path("uid").asText(null);
    ObjectNode existing = store.get(type, req.namespace(), name).orElseThrow(() -> ApiException.notFound(type, name));
    if (propagation.equals("Orphan") && !dryRun) {
      Orphans.release(store, types, existing.path("metadata").path("uid").asText());
    }
    if (!dryRun && type.builtIn() && type.group().isEmpty() && type.kind().equals("Namespace")) {
      deleteContents(name);
    }
    ObjectNode deleted = store.delete(type, req.namespace(), name, uid, dryRun);
    if (!dryRun) {
      crds.deleted(type, deleted);
    }
    return deleted;
  }

  /**
   * Deletes everything in a namespace that is being deleted, as kube's namespace controller does
   * before the namespace goes (here at once, before the namespace itself is deleted).
   */
  private void deleteContents(String namespace) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ResourceType t : types.all()) {
      if (!t.namespaced() || !seen.add(ResourceStore.resource(t))) {
        continue;
      }
      for (ObjectNode o : store.list(t, namespace, null).items()) {
        try {
          store.delete(t, namespace, o.path("metadata").path("name").asText(), null, false);
        } catch (ApiException gone) {
          // deleted meanwhile
        }
      }
    }
  }

  // ---------------------------------------------------------------- checks

  static ObjectNode metadata(ObjectNode obj) {
    JsonNode meta = obj.get("metadata");
    if (meta == null || meta.isNull()) {
      return obj.putObject("metadata");
    }
    if (!meta.isObject()) {
      throw ApiException.badRequest("metadata must be an object");
    }
    return (ObjectNode) meta;
  }

  private static void checkKind(ResourceType type, ObjectNode obj) {
    String apiVersion = Json.str(obj, "apiVersion");
    String kind = Json.str(obj, "kind");
    if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + type.apiVersion() + ")");
    }
    if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest("the kind in the data (" + kind
          + ") does not match the expected kind (" + type.kind() + ")");
    }
  }

  /** Fills the body's namespace from the URL, or rejects a body naming another one (as kube does). */
  static void reconcileNamespace(ApiRequest req, ResourceType type, ObjectNode meta) {
    if (!type.namespaced()) {
      meta.remove("namespace");
      return;
    }
    String inBody = meta.path("namespace").asText("");
    if (req.namespace() == null) {
      throw ApiException.badRequest("a namespaced " + type.kind() + " needs a namespace in the URL");
    }
    if (!inBody.isEmpty() && !inBody.equals(req.namespace())) {
      throw ApiException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    meta.put("namespace", req.namespace());
  }

  private void requireNamespace(String namespace, boolean creating) {
    ResourceType nsType = types.byPlural("", "v1", "namespaces").orElseThrow();
    Optional<ObjectNode> ns = store.get(nsType, null, namespace);
    if (ns.isEmpty()) {
      throw ApiException.namespaceNotFound(namespace);
    }
    if (creating && ns.get().path("metadata").has("deletionTimestamp")) {
      throw new ApiException(403, "Forbidden", "unable to create new content in namespace " + namespace
          + " because it is being terminated");
    }
  }
}
