package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Server-side apply ({@code application/apply-patch+yaml}), approximated.
 *
 * <p>What it does: the applied configuration is merged into the live object with the strategic
 * merge rules of {@link Patches}; the set of fields each manager applied is kept in
 * {@code metadata.managedFields} (operation Apply, fieldsType FieldsV1); fields the same manager
 * applied last time but no longer applies are removed, unless another applying manager still
 * owns them; applying to a missing object creates it. A field set by another Apply manager to a
 * different value is a 409 conflict unless {@code force=true}, which takes the field over.
 *
 * <p>What it does not: ownership by Update operations (plain PUT/PATCH writes record no managed
 * fields, so they never conflict), schema-aware list semantics beyond the merge keys Patches
 * knows (other lists are owned and replaced whole), and {@code x-kubernetes-map-type} granular
 * maps.
 */
final class ServerSideApply {
  private final ResourceWriter writer;
  private final ResourceStore store;

  ServerSideApply(ResourceWriter writer, ResourceStore store) {
    this.writer = writer;
    this.store = store;
  }

  Reply apply(ApiRequest req, ResourceType type, byte[] body) {
    String manager = req.param("fieldManager");
    if (manager == null || manager.isEmpty()) {
      throw ApiException.invalid("PatchOptions.meta.k8s.io", "", "fieldManager",
          "Required value: is required for apply patch");
    }
    boolean force = req.flag("force");
    ObjectNode applied = Json.parseObject(body, true);
    ObjectNode meta = ResourceWriter.metadata(applied);
    String apiVersion = Json.str(applied, "apiVersion");
    String kind = Json.str(applied, "kind");
    if (apiVersion == null || kind == null) {
      throw ApiException.badRequest("an applied configuration needs apiVersion and kind");
    }
    if (!apiVersion.equals(type.apiVersion()) || !kind.equals(type.kind())) {
      throw ApiException.badRequest("the applied " + apiVersion + " " + kind
          + " does not match the resource of the URL (" + type.apiVersion() + " " + type.kind() + ")");
    }
    ResourceWriter.reconcileNamespace(req, type, meta);
    if (!req.name().equals(meta.path("name").asText())) {
      throw ApiException.badRequest("the name of the object (" + meta.path("name").asText()
          + ") does not match the name on the URL (" + req.name() + ")");
    }
    ObjectNode fields = ManagedFields.of(applied);
    Optional<ObjectNode> existing = store.get(type, req.namespace(), req.name());
    ObjectNode result;
    if (existing.isEmpty()) {
      result = applied.deepCopy();
      ArrayNode managed = ResourceWriter.metadata(result).putArray("managedFields");
      managed.add(entry(manager, type, fields));
      return Reply.created(writer.applyResult(req, type, result, existing));
    }
    ObjectNode live = existing.get().deepCopy();
    ArrayNode managed = live.path("metadata").path("managedFields").isArray()
        ? (ArrayNode) live.path("metadata").path("managedFields") : Json.array();
    JsonNode previous = null;
    List<JsonNode> others = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    for (JsonNode e : managed) {
      boolean mine = e.path("manager").asText().equals(manager) && e.path("operation").asText().equals("Apply");
      if (mine) {
        previous = e.path("fieldsV1");
        continue;
      }
      others.add(e.path("fieldsV1"));
      if (!force && e.path("operation").asText().equals("Apply")) {
        for (List<String> leaf : ManagedFields.leaves(fields)) {
          if (ManagedFields.contains(e.path("fieldsV1"), leaf)
              && !Objects.equals(ManagedFields.at(live, leaf), ManagedFields.at(applied, leaf))) {
            conflicts.add("conflict with \"" + e.path("manager").asText() + "\" using "
                + e.path("apiVersion").asText() + ": " + ManagedFields.display(leaf));
          }
        }
      }
    }
    if (!conflicts.isEmpty()) {
      throw new ApiException(409, "Conflict", "Apply failed with " + conflicts.size() + " conflict"
          + (conflicts.size() == 1 ? "" : "s") + ": " + String.join("\n", conflicts));
    }
    ManagedFields.removeDropped(live, previous, fields, others);
    result = (ObjectNode) Patches.strategicMerge(live, applied);
    ArrayNode nextManaged = Json.array();
    for (JsonNode e : managed) {
      if (!(e.path("manager").asText().equals(manager) && e.path("operation").asText().equals("Apply"))) {
        nextManaged.add(e);
      }
    }
    ObjectNode mine = entry(manager, type, fields);
    for (JsonNode e : managed) {
      boolean same = e.path("manager").asText().equals(manager) && e.path("operation").asText().equals("Apply")
          && e.path("fieldsV1").equals(fields) && e.path("apiVersion").asText().equals(type.apiVersion());
      if (same) {
        mine.set("time", e.path("time")); // an apply that changes nothing writes nothing
      }
    }
    nextManaged.add(mine);
    ObjectNode resultMeta = ResourceWriter.metadata(result);
    resultMeta.set("managedFields", nextManaged);
    String rv = meta.path("resourceVersion").asText("");
    resultMeta.put("resourceVersion", rv.isEmpty() ? live.path("metadata").path("resourceVersion").asText() : rv);
    return Reply.ok(writer.applyResult(req, type, result, existing));
  }

  private static ObjectNode entry(String manager, ResourceType type, ObjectNode fields) {
    ObjectNode e = Json.object();
    e.put("manager", manager);
    e.put("operation", "Apply");
    e.put("apiVersion", type.apiVersion());
    e.put("time", ResourceStore.now());
    e.put("fieldsType", "FieldsV1");
    e.set("fieldsV1", fields);
    return e;
  }
}
