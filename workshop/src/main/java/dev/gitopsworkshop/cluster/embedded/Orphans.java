package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletion with {@code propagationPolicy: Orphan}: dependents lose their ownerReference to the owner. */
final class Orphans {
  private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);
  private Orphans() {}

  static void release(ResourceStore store, ResourceTypes types, String ownerUid) {
    Set<String> seen = new HashSet<>();
    for (ResourceType type : types.all()) {
      if (!seen.add(ResourceStore.resource(type))) {
        continue;
      }
      ResourceStore.ListResult owned = store.list(type, null, o -> ownedBy(o, ownerUid));
      for (ObjectNode o : owned.items()) {
        ArrayNode kept = Json.array();
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
          if (!ref.path("uid").asText().equals(ownerUid)) {
            kept.add(ref);
          }
        }
        ObjectNode meta = (ObjectNode) o.get("metadata");
        if (kept.isEmpty()) {
          meta.remove("ownerReferences");
        } else {
          meta.set("ownerReferences", kept);
        }
        try {
          store.update(type, o, ResourceStore.Part.MAIN, false);
        } catch (ApiException e) {
          // the garbage collector sees the owner gone either way
          LOG.debug("orphaning {}: changed or gone meanwhile ({})", o.at("/metadata/name").asText(), e.getMessage());
        }
      }
    }
  }

  private static boolean ownedBy(ObjectNode o, String uid) {
    for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
      if (ref.path("uid").asText().equals(uid)) {
        return true;
      }
    }
    return false;
  }
}
