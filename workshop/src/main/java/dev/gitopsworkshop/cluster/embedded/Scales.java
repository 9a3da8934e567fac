package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code /scale} subresource: an {@code autoscaling/v1} Scale view of a workload's replicas. */
final class Scales {
  private final ResourceStore store;
  private final ResourceWriter writer;

  Scales(ResourceStore store, ResourceWriter writer) {
    this.store = store;
    this.writer = writer;
  }

  ObjectNode handle(ApiRequest req, ResourceType type, byte[] body) {
    ObjectNode current = store.get(type, req.namespace(), req.name())
        .orElseThrow(() -> ApiException.notFound(type, req.name()));
    ObjectNode scale = scale(current);
    JsonNode wanted;
    switch (req.method()) {
      case "GET" -> {
        return scale;
      }
      case "PUT" -> wanted = Json.parseObject(body, req.yamlBody());
      case "PATCH" -> {
        String ct = req.contentType();
        JsonNode patch = Json.parse(body, req.yamlBody());
        wanted = ct.startsWith("application/json-patch+json") ? Patches.jsonPatch(scale, patch)
            : Patches.mergePatch(scale, patch);
      }
      default -> throw new ApiException(405, "MethodNotAllowed",
          "the server does not allow this method on the requested resource");
    }
    JsonNode replicas = wanted.path("spec").path("replicas");
    if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
      throw ApiException.invalid("Scale.autoscaling", req.name(), "spec.replicas",
          "Invalid value: " + replicas + ": must be greater than or equal to 0");
    }
    ObjectNode next = current.deepCopy();
    next.with("spec").put("replicas", replicas.asInt());
    String rv = wanted.path("metadata").path("resourceVersion").asText("");
    next.with("metadata").put("resourceVersion", rv.isEmpty() ? current.path("metadata").path("resourceVersion").asText() : rv);
    ObjectNode updated = store.update(type, next, ResourceStore.Part.MAIN, req.dryRun());
    return scale(updated);
  }

  static ObjectNode scale(ObjectNode obj) {
    ObjectNode s = Json.object();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    JsonNode m = obj.path("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (m.has(f)) {
        meta.set(f, m.get(f));
      }
    }
    s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    ObjectNode status = s.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    status.put("selector", Tables.selector(obj.path("spec").path("selector")).replace("<none>", ""));
    return s;
  }
}
