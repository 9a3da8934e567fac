package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the kustomize-controller deletes what it applied, on prune and when a Kustomization is
 * deleted: only objects that still carry this Kustomization's owner labels, never those annotated
 * (or labelled) {@code kustomize.toolkit.fluxcd.io/prune: disabled},
 * {@code kustomize.toolkit.fluxcd.io/reconcile: disabled} or {@code kustomize.toolkit.fluxcd.io/ssa:
 * Ignore}; in the reverse of the apply order (Namespaces and CRDs last), in the background. Each
 * object gives a line of Flux's change set: {@code Kind/namespace/name deleted} (or
 * {@code skipped}).
 */
final class GarbageCollection {
  static final String NAME_LABEL = "kustomize.toolkit.fluxcd.io/name";
  static final String NAMESPACE_LABEL = "kustomize.toolkit.fluxcd.io/namespace";
  static final String PRUNE = "kustomize.toolkit.fluxcd.io/prune";
  static final String RECONCILE = "kustomize.toolkit.fluxcd.io/reconcile";
  static final String SSA = "kustomize.toolkit.fluxcd.io/ssa";

  /** A delete the API server refused: the objects not deleted stay in the inventory. */
  static final class Failure extends RuntimeException {
    final List<NudgeRules.InventoryEntry> survivors;
    final List<String> changes;

    Failure(String message, List<NudgeRules.InventoryEntry> survivors, List<String> changes) {
      super(message);
      this.survivors = survivors;
      this.changes = changes;
    }
  }

  private final Kube api;

  GarbageCollection(Kube api) {
    this.api = api;
  }

  /** Deletes {@code stale} on behalf of {@code ks}; returns the change set lines. */
  List<String> delete(JsonNode ks, List<NudgeRules.InventoryEntry> stale) {
    List<NudgeRules.InventoryEntry> ordered = new ArrayList<>(stale);
    ordered.sort(ApplyOrder.ENTRIES.reversed());
    List<String> changes = new ArrayList<>();
    List<NudgeRules.InventoryEntry> survivors = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String owner = ks.at("/metadata/name").asText();
    String ownerNamespace = ks.at("/metadata/namespace").asText();
    for (NudgeRules.InventoryEntry e : ordered) {
      String subject = subject(e);
      Optional<KubeKind> kind = api.kind(e.apiVersion(), e.kind());
      if (kind.isEmpty()) {
        changes.add(subject + " deleted"); // its kind is gone, and so is it
        continue;
      }
      JsonNode live = api.get(kind.get(), e.namespace(), e.name());
      if (live == null) {
        changes.add(subject + " deleted");
        continue;
      }
      JsonNode labels = live.at("/metadata/labels");
      if (!owner.equals(labels.path(NAME_LABEL).asText()) || !ownerNamespace.equals(labels.path(NAMESPACE_LABEL).asText())
          || excluded(live)) {
        changes.add(subject + " skipped");
        continue;
      }
      try {
        api.delete(kind.get(), e.namespace(), e.name());
        changes.add(subject + " deleted");
      } catch (Kube.ApiError err) {
        survivors.add(e);
        errors.add(subject + " delete failed: " + err.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new Failure("delete failed, errors: " + String.join(";", errors) + ";", survivors, changes);
    }
    return changes;
  }

  /** Whether the object's metadata opts it out of deletion. */
  static boolean excluded(JsonNode live) {
    return has(live, PRUNE, "disabled") || has(live, RECONCILE, "disabled") || has(live, SSA, "Ignore");
  }

  /** Whether the object's labels or annotations say {@code key: value}, as Flux's selectors look at both. */
  static boolean has(JsonNode obj, String key, String value) {
    return obj != null && (value.equals(obj.at("/metadata/annotations").path(key).asText(null))
        || value.equals(obj.at("/metadata/labels").path(key).asText(null)));
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} for a cluster-wide object, as Flux names them. */
  static String subject(NudgeRules.InventoryEntry e) {
    return e.kind() + "/" + (e.namespace().isEmpty() ? "" : e.namespace() + "/") + e.name();
  }
}
