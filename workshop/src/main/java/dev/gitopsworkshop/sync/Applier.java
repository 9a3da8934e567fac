package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kustomize-controller's apply stage: a server-side dry run of the whole plan, then
 * server-side apply as {@code kustomize-controller} with force, CRDs first (waiting until they are
 * established), then Namespaces, then the rest; then the prune of what left the inventory. Only
 * objects of the previous inventory are ever deleted.
 */
final class Applier {
  static final String MANAGER = "kustomize-controller";
  private static final long CRD_WAIT_MILLIS = 10_000;

  /** The new inventory ({@code id -> version}) and one line per change, as Flux's event lists them. */
  record Outcome(Map<String, String> inventory, List<String> changes) {}

  /** A manifest the cluster refused: nothing after it is applied, nothing is pruned. */
  static final class ApplyFailure extends RuntimeException {
    ApplyFailure(String message) {
      super(message);
    }
  }

  private final Kube api;

  Applier(Kube api) {
    this.api = api;
  }

  /** Asks the server to validate every object it can before any is changed. */
  void dryRun(List<KustomizationPlan.Planned> plan) {
    for (KustomizationPlan.Planned p : plan) {
      if (p.resource() == null || namespaceCreatedBySet(p, plan)) {
        continue; // the server can only judge these once their CRD or Namespace exists
      }
      try {
        api.apply(p.resource(), p.object(), MANAGER, true);
      } catch (Kube.ApiError e) {
        throw new ApplyFailure(p.label() + " (" + p.file() + ") dry-run failed: " + e.getMessage());
      }
    }
  }

  Outcome apply(List<KustomizationPlan.Planned> plan, JsonNode previousInventory, boolean prune) {
    List<String> changes = new ArrayList<>();
    Map<String, String> inventory = new LinkedHashMap<>();
    for (KustomizationPlan.Planned p : plan) {
      KubeKind resource = p.resource() != null ? p.resource() : api.kind(p.entry().apiVersion(), p.kind())
          .orElseThrow(() -> new ApplyFailure(p.label() + " (" + p.file() + "): no matches for kind \"" + p.kind()
              + "\" in version \"" + p.entry().apiVersion() + "\" after its CustomResourceDefinition was applied"));
      JsonNode before = api.get(resource, ns(p), p.entry().name());
      JsonNode after;
      try {
        after = api.apply(resource, p.object(), MANAGER, false);
      } catch (Kube.ApiError e) {
        throw new ApplyFailure(p.label() + " (" + p.file() + ") apply failed: " + e.getMessage());
      }
      if (before == null) {
        changes.add(p.label() + " created");
      } else if (!before.at("/metadata/resourceVersion").equals(after.at("/metadata/resourceVersion"))) {
        changes.add(p.label() + " configured");
      }
      if ("CustomResourceDefinition".equals(p.kind())) {
        awaitEstablished(resource, p);
      }
      inventory.put(p.entry().id(), p.entry().version());
    }
    if (prune) {
      for (JsonNode old : previousInventory) {
        String id = old.path("id").asText();
        if (!inventory.containsKey(id)) {
          NudgeRules.InventoryEntry.parse(id, old.path("v").asText()).flatMap(this::delete).ifPresent(changes::add);
        }
      }
    }
    return new Outcome(inventory, changes);
  }

  private java.util.Optional<String> delete(NudgeRules.InventoryEntry e) {
    return api.kind(e.apiVersion(), e.kind()).map(r -> {
      api.delete(r, e.namespace(), e.name());
      return e.kind() + "/" + (e.namespace().isEmpty() ? "" : e.namespace() + "/") + e.name() + " deleted";
    });
  }

  /** Flux waits for a CRD to be established before applying objects of its kind. */
  private void awaitEstablished(KubeKind crds, KustomizationPlan.Planned crd) {
    long deadline = System.currentTimeMillis() + CRD_WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      JsonNode live = api.get(crds, null, crd.entry().name());
      for (JsonNode c : live == null ? List.<JsonNode>of() : iterable(live.at("/status/conditions"))) {
        if ("Established".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
          return;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new ApplyFailure(crd.label() + " (" + crd.file() + ") was applied but is not established after "
        + CRD_WAIT_MILLIS / 1000 + "s");
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static String ns(KustomizationPlan.Planned p) {
    return p.entry().namespace().isEmpty() ? null : p.entry().namespace();
  }

  /** A dry run cannot succeed in a namespace the same set is about to create. */
  private static boolean namespaceCreatedBySet(KustomizationPlan.Planned p, List<KustomizationPlan.Planned> plan) {
    return !p.entry().namespace().isEmpty() && plan.stream().anyMatch(o -> "Namespace".equals(o.kind())
        && p.entry().namespace().equals(o.entry().name()));
  }
}
