package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import java.util.ArrayList;
import java.util.List;

/**
 * The finalizer Flux puts on every Kustomization ({@value #FINALIZER}) and what it does when the
 * Kustomization is deleted: by {@code spec.deletionPolicy} ({@code MirrorPrune}, the default,
 * follows {@code prune}; {@code Delete} and {@code WaitForTermination} delete; {@code Orphan}
 * keeps), unless suspended or without inventory, the inventory is garbage-collected as a prune
 * would ({@link GarbageCollection}: objects annotated {@code prune: disabled} survive); then the
 * finalizer goes and with it the Kustomization.
 */
final class KustomizationDeletion {
  static final String FINALIZER = "finalizers.fluxcd.io";
  private static final long TERMINATION_POLL_MILLIS = 200;

  private final Kube api;
  private final GarbageCollection garbage;
  private final Events events;

  KustomizationDeletion(Kube api, GarbageCollection garbage, Events events) {
    this.api = api;
    this.garbage = garbage;
    this.events = events;
  }

  /**
   * The Kustomization's deletion: its inventory garbage-collected when the deletion policy says so
   * (not when the account to impersonate is gone: Flux then only says what it leaves), then the
   * finalizer removed.
   */
  void finalizeDeletion(JsonNode ks, FluxLog.Reconcile log) {
    if (deletesInventory(ks)) {
      List<NudgeRules.InventoryEntry> entries = inventory(ks);
      String revision = ks.at("/status/lastAppliedRevision").asText(null);
      String account = ks.at("/spec/serviceAccountName").asText("");
      if (!account.isEmpty() && api.get(Applier.SERVICE_ACCOUNT, ks.at("/metadata/namespace").asText(), account) == null) {
        StringBuilder list = new StringBuilder();
        entries.forEach(e -> list.append(GarbageCollection.subject(e)).append('\n'));
        String message = "unable to prune objects: \n" + list.toString().strip();
        log.error(message, "skiping pruning, failed to find account to impersonate");
        events.warning(ks, KustomizationStatus.readyReason(ks), message, revision);
      } else {
        List<String> changes;
        try {
          changes = garbage.delete(ks, entries);
        } catch (GarbageCollection.Failure f) {
          events.warning(ks, KustomizationStatus.readyReason(ks), "pruning for deleted resource failed", revision);
          throw f; // tried again: the finalizer stays until the inventory is gone
        }
        if (!changes.isEmpty()) {
          events.normal(ks, KustomizationStatus.readyReason(ks), String.join("\n", changes), revision);
        }
        if ("WaitForTermination".equals(ks.at("/spec/deletionPolicy").asText())
            && !awaitTermination(api, entries, KustomizationTimes.timeoutMillis(ks))) {
          log.error("failed to wait for resources termination", "timeout");
          events.warning(ks, KustomizationStatus.readyReason(ks), "failed to wait for resources termination", revision);
        }
      }
    }
    removeFinalizer(api, ks);
  }

  static boolean deleting(JsonNode ks) {
    return !ks.at("/metadata/deletionTimestamp").asText("").isEmpty();
  }

  static boolean hasFinalizer(JsonNode ks) {
    for (JsonNode f : ks.at("/metadata/finalizers")) {
      if (FINALIZER.equals(f.asText())) {
        return true;
      }
    }
    return false;
  }

  static void addFinalizer(Kube api, JsonNode ks) {
    List<String> finalizers = finalizers(ks);
    finalizers.add(FINALIZER);
    patchFinalizers(api, ks, finalizers);
  }

  static void removeFinalizer(Kube api, JsonNode ks) {
    List<String> finalizers = finalizers(ks);
    finalizers.remove(FINALIZER);
    patchFinalizers(api, ks, finalizers);
  }

  /** Whether deleting this Kustomization deletes what it applied. */
  static boolean deletesInventory(JsonNode ks) {
    if (ks.at("/spec/suspend").asBoolean(false) || ks.at("/status/inventory/entries").isEmpty()) {
      return false;
    }
    return switch (ks.at("/spec/deletionPolicy").asText("MirrorPrune")) {
      case "Delete", "WaitForTermination" -> true;
      case "Orphan" -> false;
      default -> ks.at("/spec/prune").asBoolean(false);
    };
  }

  static List<NudgeRules.InventoryEntry> inventory(JsonNode ks) {
    List<NudgeRules.InventoryEntry> entries = new ArrayList<>();
    for (JsonNode e : ks.at("/status/inventory/entries")) {
      NudgeRules.InventoryEntry.parse(e.path("id").asText(), e.path("v").asText()).ifPresent(entries::add);
    }
    return entries;
  }

  /** With {@code WaitForTermination}: whether everything deleted is gone within the timeout. */
  static boolean awaitTermination(Kube api, List<NudgeRules.InventoryEntry> deleted, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    for (NudgeRules.InventoryEntry e : deleted) {
      KubeKind kind = api.kind(e.apiVersion(), e.kind()).orElse(null);
      while (kind != null && api.get(kind, e.namespace(), e.name()) != null) {
        if (System.currentTimeMillis() > deadline) {
          return false;
        }
        try {
          Thread.sleep(TERMINATION_POLL_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  private static List<String> finalizers(JsonNode ks) {
    List<String> out = new ArrayList<>();
    ks.at("/metadata/finalizers").forEach(f -> out.add(f.asText()));
    return out;
  }

  private static void patchFinalizers(Kube api, JsonNode ks, List<String> finalizers) {
    ObjectNode patch = Mappers.JSON.createObjectNode();
    ObjectNode meta = patch.putObject("metadata");
    meta.put("resourceVersion", ks.at("/metadata/resourceVersion").asText());
    ArrayNode list = meta.putArray("finalizers");
    finalizers.forEach(list::add);
    api.patch(FluxKinds.KUSTOMIZATION, ks.at("/metadata/namespace").asText(), ks.at("/metadata/name").asText(), patch);
  }
}
