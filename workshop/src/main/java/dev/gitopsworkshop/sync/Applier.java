package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Threads;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kustomize-controller's apply stage: a server-side dry run of the whole plan, then
 * server-side apply as {@code kustomize-controller} with force, in Flux's order ({@link ApplyOrder}:
 * CRDs first, waiting until they are established, then Namespaces, and so on). As Flux's apply
 * options say: an object annotated (or labelled) {@code kustomize.toolkit.fluxcd.io/reconcile:
 * disabled} or {@code .../ssa: Ignore}, in Git or in the cluster, is skipped; {@code .../ssa:
 * IfNotPresent} is only created; and when an immutable field changed, the object is deleted and
 * created again if the Kustomization says {@code force: true} or the object
 * {@code kustomize.toolkit.fluxcd.io/force: enabled}. Pruning is {@link GarbageCollection}'s.
 */
final class Applier {
  static final String MANAGER = "kustomize-controller";
  private static final long CRD_WAIT_MILLIS = 10_000;
  /** kustomize-controller's {@code --concurrent-ssa} default: dry runs side by side. */
  private static final int CONCURRENT_SSA = 4;

  /**
   * The new inventory ({@code id -> version}), what became of each object ({@code Kind/ns/name ->
   * created|configured|unchanged|skipped}, in apply order), and the objects applied or unchanged
   * (the skipped ones are not health-checked).
   */
  record Outcome(Map<String, String> inventory, Map<String, String> actions, List<NudgeRules.InventoryEntry> applied) {
    /** One line per object created or configured, as Flux's event lists them. */
    List<String> changes() {
      List<String> out = new ArrayList<>();
      actions.forEach((subject, action) -> {
        if (action.equals("created") || action.equals("configured")) {
          out.add(subject + " " + action);
        }
      });
      return out;
    }
  }

  static final String FORCE = "kustomize.toolkit.fluxcd.io/force";
  static final KubeKind SERVICE_ACCOUNT = KubeKind.namespaced("v1", "ServiceAccount", "serviceaccounts");
  private static final long FORCE_WAIT_MILLIS = 30_000;

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

  /**
   * Asks the server to validate every object it can before any is changed; with force, an object
   * whose immutable fields changed is deleted here (and created again by {@link #apply}).
   */
  void dryRun(List<KustomizationPlan.Planned> plan, boolean force) {
    List<KustomizationPlan.Planned> judged = ordered(plan).stream()
        // the server can only judge these once their CRD or Namespace exists
        .filter(p -> p.resource() != null && !namespaceCreatedBySet(p, plan))
        .toList();
    // each object's look and dry run side by side, as Flux does (--concurrent-ssa, 4); what they
    // found is then taken in apply order: the first refusal is the one reported, and an object is
    // recreated only when every one before it passed
    List<Threads.Outcome<DryRun>> runs = Threads.sideBySide(judged, CONCURRENT_SSA, "kustomize-ssa", p -> {
      JsonNode live = api.get(p.resource(), ns(p), p.entry().name());
      if (skipped(p.object(), live)) {
        return new DryRun(p, live, null);
      }
      try {
        api.apply(p.resource(), p.object(), MANAGER, true);
        return new DryRun(p, live, null);
      } catch (Kube.ApiError e) {
        return new DryRun(p, live, e);
      }
    });
    for (Threads.Outcome<DryRun> run : runs) {
      DryRun r = run.get();
      Kube.ApiError e = r.refusal();
      if (e == null) {
        continue;
      }
      KustomizationPlan.Planned p = r.planned();
      if (r.live() == null || !immutable(e) || !(force || GarbageCollection.has(p.object(), FORCE, "enabled")
          || GarbageCollection.has(r.live(), FORCE, "enabled"))) {
        throw new ApplyFailure(p.label() + " (" + p.file() + ") dry-run failed" + reason(e) + ": " + e.getMessage());
      }
      recreate(p);
    }
  }

  /** One object's dry run: what was live before it, and the server's refusal if it refused. */
  private record DryRun(KustomizationPlan.Planned planned, JsonNode live, Kube.ApiError refusal) {}

  /**
   * {@code spec.serviceAccountName}: Flux impersonates the account. A missing one has no
   * permissions, so the first object is forbidden, as the API server words it. (The embedded
   * cluster has no RBAC: an existing account may do everything.)
   */
  void impersonate(JsonNode ks, List<KustomizationPlan.Planned> plan) {
    String account = ks.at("/spec/serviceAccountName").asText("");
    String namespace = ks.at("/metadata/namespace").asText();
    if (account.isEmpty() || plan.isEmpty() || api.get(SERVICE_ACCOUNT, namespace, account) != null) {
      return;
    }
    KustomizationPlan.Planned first = plan.get(0);
    String plural = first.resource() != null ? first.resource().plural() : first.kind().toLowerCase() + "s";
    String objectNs = first.entry().namespace();
    String scope = objectNs.isEmpty() ? "at the cluster scope" : "in the namespace \"" + objectNs + "\"";
    throw new ApplyFailure(first.label() + " dry-run failed (Forbidden): " + plural + " \"" + first.entry().name()
        + "\" is forbidden: User \"system:serviceaccount:" + namespace + ":" + account + "\" cannot patch resource \"" + plural
        + "\" in API group \"" + first.entry().group() + "\" " + scope);
  }

  /** Flux's reason in parentheses after "dry-run failed", from the API status. */
  private static String reason(Kube.ApiError e) {
    return switch (e.code) {
      case 422 -> " (Invalid)";
      case 409 -> " (Conflict)";
      case 403 -> " (Forbidden)";
      case 400 -> " (BadRequest)";
      default -> "";
    };
  }

  /** Flux's test for an immutable-field error: a conflict, an invalid object, or "immutable" in the message. */
  static boolean immutable(Kube.ApiError e) {
    String m = String.valueOf(e.getMessage());
    return e.code == 409 || e.code == 422 || m.matches("(?s).*is\\simmutable.*") || m.matches("(?s).*immutable\\sfield.*");
  }

  /** Deletes the object in the background and waits until it is gone (finalizers may hold it). */
  private void recreate(KustomizationPlan.Planned p) {
    api.delete(p.resource(), ns(p), p.entry().name());
    long deadline = System.currentTimeMillis() + FORCE_WAIT_MILLIS;
    while (api.get(p.resource(), ns(p), p.entry().name()) != null) {
      if (System.currentTimeMillis() > deadline || !pause()) {
        throw new ApplyFailure(p.label() + " immutable field detected, failed to wait for object to be deleted: still there after "
            + FORCE_WAIT_MILLIS / 1000 + "s");
      }
    }
  }

  /** Whether the apply options leave this object alone: excluded, or only-if-absent and present. */
  static boolean skipped(JsonNode desired, JsonNode live) {
    boolean excluded = GarbageCollection.has(desired, GarbageCollection.RECONCILE, "disabled")
        || GarbageCollection.has(live, GarbageCollection.RECONCILE, "disabled")
        || GarbageCollection.has(desired, GarbageCollection.SSA, "Ignore") || GarbageCollection.has(live, GarbageCollection.SSA, "Ignore");
    return excluded || live != null && GarbageCollection.has(desired, GarbageCollection.SSA, "IfNotPresent");
  }

  Outcome apply(List<KustomizationPlan.Planned> plan) {
    Map<String, String> actions = new LinkedHashMap<>();
    Map<String, String> inventory = new LinkedHashMap<>();
    List<NudgeRules.InventoryEntry> applied = new ArrayList<>();
    for (KustomizationPlan.Planned p : ordered(plan)) {
      KubeKind resource = p.resource() != null ? p.resource() : api.kind(p.entry().apiVersion(), p.kind())
          .orElseThrow(() -> new ApplyFailure(p.label() + " (" + p.file() + "): no matches for kind \"" + p.kind()
              + "\" in version \"" + p.entry().apiVersion() + "\" after its CustomResourceDefinition was applied"));
      JsonNode before = api.get(resource, ns(p), p.entry().name());
      inventory.put(p.entry().id(), p.entry().version());
      if (skipped(p.object(), before)) {
        actions.put(p.label(), "skipped");
        continue;
      }
      JsonNode after;
      try {
        after = api.apply(resource, p.object(), MANAGER, false);
      } catch (Kube.ApiError e) {
        throw new ApplyFailure(p.label() + " (" + p.file() + ") apply failed: " + e.getMessage());
      }
      if (before == null) {
        actions.put(p.label(), "created");
      } else if (!before.at("/metadata/resourceVersion").equals(after.at("/metadata/resourceVersion"))) {
        actions.put(p.label(), "configured");
      } else {
        actions.put(p.label(), "unchanged");
      }
      if ("CustomResourceDefinition".equals(p.kind())) {
        awaitEstablished(resource, p);
      }
      applied.add(p.entry());
    }
    return new Outcome(inventory, actions, applied);
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
      if (!pause()) {
        break;
      }
    }
    throw new ApplyFailure(crd.label() + " (" + crd.file() + ") was applied but is not established after "
        + CRD_WAIT_MILLIS / 1000 + "s");
  }

  /** The plan in Flux's apply order ({@link ApplyOrder}). */
  private static List<KustomizationPlan.Planned> ordered(List<KustomizationPlan.Planned> plan) {
    List<KustomizationPlan.Planned> sorted = new ArrayList<>(plan);
    sorted.sort(ApplyOrder.PLAN);
    return sorted;
  }

  /** A short pause between two looks at the cluster; false when interrupted. */
  private static boolean pause() {
    try {
      Thread.sleep(50);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
