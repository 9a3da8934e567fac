package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.KubeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded kustomize-controller, one Kustomization ({@code kustomize.toolkit.fluxcd.io/v1}) at a
 * time per worker (four, Flux's {@code --concurrent}), as a straight pipeline: the finalizer,
 * suspend, refused fields, the source's artifact, {@code dependsOn}, build and validate the whole
 * set ({@link KustomizationPlan}), a server-side dry run, apply ({@link Applier}), prune
 * ({@link GarbageCollection}), health ({@link HealthCheck}), status. A set in which anything fails
 * is not applied at all, and nothing is pruned after a failed build: the last good state stays.
 * Like Flux it reconciles at its interval (at {@code retryInterval} after a failure), at once on a
 * new source revision, and on a new {@code reconcile.fluxcd.io/requestedAt}; it does not watch what
 * it applied. Deleting a Kustomization runs {@link KustomizationDeletion}.
 */
final class KustomizeController extends Reconciler {
  static final String MANAGER = Applier.MANAGER;
  /** How soon to look again for a source that has no artifact yet (Flux's default is 30s). */
  private static final long SOURCE_RETRY_MILLIS = 1000;
  private static final FluxApi.Kind SERVICE_ACCOUNT = new FluxApi.Kind("v1", "ServiceAccount", "serviceaccounts", true);

  private final Applier applier;
  private final GarbageCollection garbage;
  private final HealthCheck health;
  private final Events events;

  KustomizeController(FluxApi api) {
    super(api, "kustomize-controller", 4);
    this.applier = new Applier(api);
    this.garbage = new GarbageCollection(api);
    this.health = new HealthCheck(api);
    this.events = new Events(api, MANAGER);
    watch(FluxApi.KUSTOMIZATION, this::whenSpecOrRequestChanged);
    watch(FluxApi.GIT_REPOSITORY, this::dependents);
  }

  @Override
  protected FluxApi.Kind kind() {
    return FluxApi.KUSTOMIZATION;
  }

  /** Kustomizations whose source is this GitRepository. */
  private List<String> dependents(JsonNode repo) {
    List<String> keys = new ArrayList<>();
    for (JsonNode ks : api.list(FluxApi.KUSTOMIZATION)) {
      String ns = ks.at("/spec/sourceRef/namespace").asText(ks.at("/metadata/namespace").asText());
      if ("GitRepository".equals(ks.at("/spec/sourceRef/kind").asText())
          && ks.at("/spec/sourceRef/name").asText().equals(repo.at("/metadata/name").asText())
          && ns.equals(repo.at("/metadata/namespace").asText())) {
        keys.add(key(ks));
      }
    }
    return keys;
  }

  @Override
  protected long reconcile(String namespace, String name) {
    long started = System.nanoTime();
    JsonNode ks = api.get(FluxApi.KUSTOMIZATION, namespace, name);
    if (ks == null) {
      return -1;
    }
    if (KustomizationDeletion.deleting(ks)) {
      finalizeDeletion(ks);
      return -1;
    }
    if (!KustomizationDeletion.hasFinalizer(ks)) {
      KustomizationDeletion.addFinalizer(api, ks);
      return 0; // as Flux: the finalizer first, then the reconcile proper
    }
    if (ks.at("/spec/suspend").asBoolean(false)) {
      log().info("Reconciliation is suspended for this object");
      return -1;
    }
    Optional<String> refused = LifecycleRefusals.of(ks);
    if (refused.isPresent()) {
      stall(ks, LifecycleRefusals.REASON, refused.get());
      return -1;
    }
    long interval = KustomizationTimes.intervalMillis(ks);
    String sourceNs = ks.at("/spec/sourceRef/namespace").asText(namespace);
    String sourceName = ks.at("/spec/sourceRef/name").asText();
    JsonNode source = api.get(FluxApi.GIT_REPOSITORY, sourceNs, sourceName);
    String revision = source == null ? "" : source.at("/status/artifact/revision").asText("");
    ArtifactStore.Artifact artifact = revision.isEmpty() ? null : ArtifactStore.get(sourceNs, sourceName);
    if (artifact == null || !artifact.revision().equals(revision)) {
      String message = sourceNotReady(source, sourceNs, sourceName);
      log().info(message);
      notReady(ks, "ArtifactFailed", message);
      return SOURCE_RETRY_MILLIS;
    }
    if (ks.at("/spec/dependsOn").size() > 0) {
      Optional<String> dependency = Dependencies.notReady(api, ks, revision);
      if (dependency.isPresent()) {
        notReady(ks, Dependencies.REASON, dependency.get());
        String message = "Dependencies do not meet ready condition, retrying in " + GoDuration.millis(Dependencies.REQUEUE_MILLIS);
        log().info(message);
        events.normal(ks, Dependencies.REASON, message, revision);
        return Dependencies.REQUEUE_MILLIS;
      }
      log().info("All dependencies are ready, proceeding with reconciliation");
    }
    Run run = new Run(ks, revision);
    progressing(run);
    Applier.Outcome outcome;
    try {
      List<KustomizationPlan.Planned> plan = KustomizationPlan.of(ks, artifact.files(), api::kind);
      impersonate(ks, plan);
      applier.dryRun(plan, ks.at("/spec/force").asBoolean(false));
      outcome = applier.apply(plan);
    } catch (ManifestSet.BuildFailure e) {
      return failed(run, "BuildFailed", "kustomize build failed: " + e.getMessage(), started);
    } catch (KustomizationPlan.ValidationFailure | Applier.ApplyFailure e) {
      return failed(run, "ReconciliationFailed", e.getMessage(), started);
    }
    if (!outcome.actions().isEmpty()) {
      log().info("server-side apply completed", "output", KubeClient.JSON.valueToTree(outcome.actions()), "revision", revision);
    }
    List<String> changes = outcome.changes();
    if (!changes.isEmpty()) {
      events.normal(ks, readyReason(ks), String.join("\n", changes), revision);
    }
    List<NudgeRules.InventoryEntry> stale = new ArrayList<>();
    for (NudgeRules.InventoryEntry old : KustomizationDeletion.inventory(ks)) {
      if (!outcome.inventory().containsKey(old.id())) {
        stale.add(old);
      }
    }
    Map<String, String> inventory = new LinkedHashMap<>(outcome.inventory());
    run.inventory = inventory;
    if (ks.at("/spec/prune").asBoolean(false) && !stale.isEmpty()) {
      try {
        List<String> collected = garbage.delete(ks, stale);
        log().info("garbage collection completed: " + String.join("\n", collected));
        events.normal(ks, readyReason(ks), String.join("\n", collected), revision);
      } catch (GarbageCollection.Failure f) {
        f.survivors.forEach(e -> inventory.put(e.id(), e.version()));
        return failed(run, "PruneFailed", f.getMessage(), started);
      }
    }
    Optional<String> unhealthy = checkHealth(run, outcome, !changes.isEmpty(), source);
    if (unhealthy.isPresent()) {
      return failed(run, "HealthCheckFailed", unhealthy.get(), started);
    }
    run.fields.put("lastAppliedRevision", revision);
    run.fields.put("observedGeneration", ks.at("/metadata/generation").asLong(1));
    run.conditions.set("Ready", true, "ReconciliationSucceeded", "Applied revision: " + revision).remove("Reconciling").remove("Stalled");
    run.patch();
    String finished = "Reconciliation finished in " + GoDuration.format(Duration.ofNanos(System.nanoTime() - started))
        + ", next run in " + GoDuration.millis(interval);
    log().info(finished, "revision", revision);
    events.normal(ks, "ReconciliationSucceeded", finished, revision);
    return interval;
  }

  /**
   * {@code spec.serviceAccountName}: Flux impersonates the account. A missing one has no
   * permissions, so the first object is forbidden, as the API server words it. (The embedded
   * cluster has no RBAC: an existing account may do everything.)
   */
  private void impersonate(JsonNode ks, List<KustomizationPlan.Planned> plan) {
    String account = ks.at("/spec/serviceAccountName").asText("");
    String namespace = ks.at("/metadata/namespace").asText();
    if (account.isEmpty() || plan.isEmpty() || api.get(SERVICE_ACCOUNT, namespace, account) != null) {
      return;
    }
    KustomizationPlan.Planned first = plan.get(0);
    String plural = first.resource() != null ? first.resource().plural() : first.kind().toLowerCase() + "s";
    String objectNs = first.entry().namespace();
    throw new Applier.ApplyFailure(first.label() + " dry-run failed (Forbidden): " + plural + " \"" + first.entry().name()
        + "\" is forbidden: User \"system:serviceaccount:" + namespace + ":" + account + "\" cannot patch resource \"" + plural
        + "\" in API group \"" + first.entry().group() + "\" " + (objectNs.isEmpty() ? "at the cluster scope" : "in the namespace \"" + objectNs + "\""));
  }

  /**
   * {@code wait: true} checks every object applied (not the skipped ones, not itself);
   * {@code healthChecks} the objects it names. Healthy is set as Flux sets it, or removed when
   * there is nothing to check. Empty when healthy; else the Ready message.
   */
  private Optional<String> checkHealth(Run run, Applier.Outcome outcome, boolean drifted, JsonNode source) {
    JsonNode ks = run.ks;
    boolean wait = ks.at("/spec/wait").asBoolean(false);
    List<HealthCheck.Target> targets = new ArrayList<>();
    if (wait) {
      for (NudgeRules.InventoryEntry e : outcome.applied()) {
        if (!(e.kind().equals("Kustomization") && e.name().equals(ks.at("/metadata/name").asText())
            && e.namespace().equals(ks.at("/metadata/namespace").asText()))) {
          targets.add(HealthCheck.Target.of(e));
        }
      }
    } else {
      targets = HealthCheck.targets(ks.at("/spec/healthChecks"));
    }
    if (targets.isEmpty()) {
      run.conditions.remove("Healthy");
      return Optional.empty();
    }
    boolean wasHealthy = "True".equals(run.conditions.status("Healthy"));
    boolean newRevision = !run.revision.equals(ks.at("/status/lastAppliedRevision").asText());
    String timeout = GoDuration.millis(KustomizationTimes.timeoutMillis(ks));
    String message = "Running health checks for revision " + run.revision + " with a timeout of " + timeout;
    run.conditions.set("Reconciling", true, "Progressing", message).set("Healthy", null, "Progressing", message);
    run.patch();
    long start = System.nanoTime();
    Optional<String> error = health.await(targets, KustomizationTimes.timeoutMillis(ks));
    String took = GoDuration.format(Duration.ofNanos(System.nanoTime() - start));
    if (error.isPresent()) {
      run.conditions.set("Healthy", false, "HealthCheckFailed", error.get());
      return Optional.of("health check failed after " + took + ": " + error.get());
    }
    String passed = "Health check passed in " + took;
    if (!wasHealthy || newRevision && drifted) {
      events.normal(ks, readyReason(ks), passed, run.revision);
    }
    run.conditions.set("Healthy", true, "Succeeded", passed);
    return Optional.empty();
  }

  /** Flux's message when the source has no artifact, and why, when the source says so. */
  static String sourceNotReady(JsonNode source, String namespace, String name) {
    if (source == null) {
      return "Source 'GitRepository/" + namespace + "/" + name + "' not found";
    }
    JsonNode ready = FluxStatus.find(source, "Ready");
    String why = "False".equals(ready.path("status").asText())
        ? ": GitRepository " + namespace + "/" + name + " is not ready: " + ready.path("message").asText()
        : "";
    return "Source artifact not found, retrying in " + SOURCE_RETRY_MILLIS / 1000 + "s" + why;
  }

  /** While it works on a new revision, Flux shows Reconciling (Progressing) and Ready Unknown. */
  private void progressing(Run run) {
    JsonNode ks = run.ks;
    if (run.revision.equals(ks.at("/status/lastAttemptedRevision").asText()) && FluxStatus.find(ks, "Reconciling").isMissingNode()) {
      return;
    }
    String message = "Fetching manifests for revision " + run.revision + " with a timeout of "
        + GoDuration.millis(KustomizationTimes.timeoutMillis(ks));
    run.conditions.set("Reconciling", true, "Progressing", message).set("Ready", null, "Progressing", "Reconciliation in progress");
    run.patch();
  }

  /**
   * A reconcile that failed: Ready=False with the reason, Reconciling kept as ProgressingWithRetry,
   * a warning event and an error line; tried again after {@code retryInterval}.
   */
  private long failed(Run run, String reason, String message, long started) {
    JsonNode ks = run.ks;
    long retry = KustomizationTimes.retryMillis(ks);
    run.conditions.set("Ready", false, reason, message);
    if (run.conditions.has("Reconciling")) {
      run.conditions.set("Reconciling", true, "ProgressingWithRetry", run.conditions.message("Reconciling", message));
    }
    run.patch();
    log().error("Reconciliation failed after " + GoDuration.format(Duration.ofNanos(System.nanoTime() - started)) + ", next try in "
        + GoDuration.millis(retry), message, "revision", run.revision);
    events.warning(ks, reason, message, run.revision);
    return retry;
  }

  /** Ready=False before any work on a revision began (no source, a dependency): status only. */
  private void notReady(JsonNode ks, String reason, String message) {
    Conditions conditions = new Conditions(ks).set("Ready", false, reason, message);
    ObjectNode next = handled(ks);
    next.set("conditions", conditions.array());
    patchStatus(ks, next);
  }

  /** A refusal: Ready=False and Stalled, no retry until the spec changes. */
  private void stall(JsonNode ks, String reason, String message) {
    Conditions conditions = new Conditions(ks).set("Ready", false, reason, message).set("Stalled", true, reason, message).remove("Reconciling");
    ObjectNode next = handled(ks);
    next.put("observedGeneration", ks.at("/metadata/generation").asLong(1));
    next.set("conditions", conditions.array());
    patchStatus(ks, next);
    log().error("Reconciliation stalled", message);
    if (!message.equals(FluxStatus.find(ks, "Stalled").path("message").asText())) {
      events.warning(ks, reason, message, null);
    }
  }

  /**
   * The Kustomization's deletion: its inventory garbage-collected when the deletion policy says so
   * (not when the account to impersonate is gone: Flux then only says what it leaves), then the
   * finalizer removed.
   */
  private void finalizeDeletion(JsonNode ks) {
    if (KustomizationDeletion.deletesInventory(ks)) {
      List<NudgeRules.InventoryEntry> entries = KustomizationDeletion.inventory(ks);
      String revision = ks.at("/status/lastAppliedRevision").asText(null);
      String account = ks.at("/spec/serviceAccountName").asText("");
      if (!account.isEmpty() && api.get(SERVICE_ACCOUNT, ks.at("/metadata/namespace").asText(), account) == null) {
        StringBuilder list = new StringBuilder();
        entries.forEach(e -> list.append(GarbageCollection.subject(e)).append('\n'));
        String message = "unable to prune objects: \n" + list.toString().strip();
        log().error(message, "skiping pruning, failed to find account to impersonate");
        events.warning(ks, readyReason(ks), message, revision);
      } else {
        List<String> changes;
        try {
          changes = garbage.delete(ks, entries);
        } catch (GarbageCollection.Failure f) {
          events.warning(ks, readyReason(ks), "pruning for deleted resource failed", revision);
          throw f; // tried again: the finalizer stays until the inventory is gone
        }
        if (!changes.isEmpty()) {
          events.normal(ks, readyReason(ks), String.join("\n", changes), revision);
        }
        if ("WaitForTermination".equals(ks.at("/spec/deletionPolicy").asText())
            && !KustomizationDeletion.awaitTermination(api, entries, KustomizationTimes.timeoutMillis(ks))) {
          log().error("failed to wait for resources termination", "timeout");
          events.warning(ks, readyReason(ks), "failed to wait for resources termination", revision);
        }
      }
    }
    KustomizationDeletion.removeFinalizer(api, ks);
  }

  /** Flux's events carry the Ready condition's reason (or the severity when there is none). */
  private static String readyReason(JsonNode ks) {
    return FluxStatus.find(ks, "Ready").path("reason").asText("info");
  }

  private static ObjectNode handled(JsonNode ks) {
    ObjectNode next = KubeClient.JSON.createObjectNode();
    String requested = FluxStatus.requestedAt(ks);
    if (requested != null) {
      next.put("lastHandledReconcileAt", requested);
    }
    return next;
  }

  private void patchStatus(JsonNode ks, ObjectNode status) {
    api.patchStatus(FluxApi.KUSTOMIZATION, ks.at("/metadata/namespace").asText(), ks.at("/metadata/name").asText(),
        FluxStatus.statusPatch(status));
  }

  /** The status one reconcile of a revision builds up and patches as it goes. */
  private final class Run {
    final JsonNode ks;
    final String revision;
    final Conditions conditions;
    final ObjectNode fields = KubeClient.JSON.createObjectNode();
    Map<String, String> inventory;

    Run(JsonNode ks, String revision) {
      this.ks = ks;
      this.revision = revision;
      this.conditions = new Conditions(ks);
      fields.put("lastAttemptedRevision", revision);
    }

    void patch() {
      ObjectNode next = handled(ks);
      next.setAll(fields);
      if (inventory != null) {
        ArrayNode entries = next.putObject("inventory").putArray("entries");
        inventory.forEach((id, version) -> entries.addObject().put("id", id).put("v", version));
      }
      next.set("conditions", conditions.array());
      patchStatus(ks, next);
    }
  }
}
