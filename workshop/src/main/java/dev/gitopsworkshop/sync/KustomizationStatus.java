package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import java.util.Map;

/**
 * The status one reconcile of a Kustomization builds up and patches as it goes, as Flux's patcher
 * does: conditions ({@link Conditions}), {@code lastAttemptedRevision} and the other fields, the
 * inventory once applied, {@code lastHandledReconcileAt} always. {@code observedGeneration} moves
 * only when Ready is True or the object is stalled, as in Flux.
 */
final class KustomizationStatus {
  final JsonNode ks;
  final String revision;
  final Conditions conditions;
  final ObjectNode fields = Mappers.JSON.createObjectNode();
  private final Kube api;
  private Map<String, String> inventory;

  /** A reconcile of {@code revision}; null when it stops before any revision is attempted. */
  KustomizationStatus(Kube api, JsonNode ks, String revision) {
    this.api = api;
    this.ks = ks;
    this.revision = revision;
    this.conditions = new Conditions(ks);
    if (revision != null) {
      fields.put("lastAttemptedRevision", revision);
    }
  }

  void inventory(Map<String, String> entries) {
    this.inventory = entries;
  }

  void observed() {
    fields.put("observedGeneration", ks.at("/metadata/generation").asLong(1));
  }

  void patch() {
    ObjectNode next = Mappers.JSON.createObjectNode();
    String requested = FluxStatus.requestedAt(ks);
    if (requested != null) {
      next.put("lastHandledReconcileAt", requested);
    }
    next.setAll(fields);
    if (inventory != null) {
      ArrayNode entries = next.putObject("inventory").putArray("entries");
      inventory.forEach((id, version) -> entries.addObject().put("id", id).put("v", version));
    }
    next.set("conditions", conditions.array());
    api.patchStatus(FluxKinds.KUSTOMIZATION, ks.at("/metadata/namespace").asText(), ks.at("/metadata/name").asText(),
        FluxStatus.statusPatch(next));
  }

  /** Flux's events carry the Ready condition's reason (or the severity when there is none). */
  static String readyReason(JsonNode ks) {
    return FluxStatus.find(ks, "Ready").path("reason").asText("info");
  }
}
