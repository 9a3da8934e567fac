package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import dev.gitopsworkshop.sync.build.BuildFailure;
import dev.gitopsworkshop.sync.build.KustomizeBuild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded kustomize-controller, one Kustomization ({@code kustomize.toolkit.fluxcd.io/v1}) at a
 * time per worker (four, Flux's {@code --concurrent}), as a straight pipeline: the finalizer,
 * suspend, refused fields, the source's artifact ({@code sourceRef.kind} honoured), {@code dependsOn},
 * build ({@link KustomizeBuild}: kustomize, post-build), validate the whole set
 * ({@link KustomizationPlan}), a server-side dry run, apply ({@link Applier}), prune
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

  private final Applier applier;
  private final KustomizeBuild build;
  private final GarbageCollection garbage;
  private final HealthCheck health;
  private final KustomizationDeletion deletion;
  private final Events events;
  private final ArtifactStore artifacts;

  KustomizeController(Kube api, ArtifactStore artifacts, Path workDir, Optional<Path> kubectl) {
    super(api, "kustomize-controller", 4);
    this.artifacts = artifacts;
    this.applier = new Applier(api);
    this.build = new KustomizeBuild(workDir, kubectl, (kind, ns, name) -> api.get(SourceKinds.core(kind), ns, name));
    this.garbage = new GarbageCollection(api);
    this.health = new HealthCheck(api);
    this.events = new Events(api, MANAGER);
    this.deletion = new KustomizationDeletion(api, garbage, events);
    watch(FluxKinds.KUSTOMIZATION, this::whenSpecOrRequestChanged);
    watch(FluxKinds.GIT_REPOSITORY, this::dependents);
  }

  @Override
  protected KubeKind kind() {
    return FluxKinds.KUSTOMIZATION;
  }

  /**
   * Kustomizations whose source is this GitRepository; for a revision one has not tried yet, its
   * build starts now, while its reconcile is on its way.
   */
  private List<String> dependents(JsonNode repo) {
    List<String> keys = new ArrayList<>();
    String revision = repo.at("/status/artifact/revision").asText("");
    ArtifactStore.Artifact artifact = artifacts.get(repo.at("/metadata/namespace").asText(), repo.at("/metadata/name").asText());
    for (JsonNode ks : api.list(FluxKinds.KUSTOMIZATION)) {
      String ns = ks.at("/spec/sourceRef/namespace").asText(ks.at("/metadata/namespace").asText());
      if ("GitRepository".equals(ks.at("/spec/sourceRef/kind").asText())
          && ks.at("/spec/sourceRef/name").asText().equals(repo.at("/metadata/name").asText())
          && ns.equals(repo.at("/metadata/namespace").asText())) {
        keys.add(key(ks));
        if (artifact != null && artifact.revision().equals(revision)
            && !revision.equals(ks.at("/status/lastAttemptedRevision").asText())) {
          build.prepare(ks, artifact.files());
        }
      }
    }
    return keys;
  }

  @Override
  public void close() {
    super.close();
    build.close();
  }

  @Override
  protected long reconcile(String namespace, String name) {
    long started = System.nanoTime();
    JsonNode ks = api.get(FluxKinds.KUSTOMIZATION, namespace, name);
    if (ks == null) {
      return -1;
    }
    if (KustomizationDeletion.deleting(ks)) {
      deletion.finalizeDeletion(ks, containerLog());
      return -1;
    }
    if (!KustomizationDeletion.hasFinalizer(ks)) {
      KustomizationDeletion.addFinalizer(api, ks);
      return 0; // as Flux: the finalizer first, then the reconcile proper
    }
    if (ks.at("/spec/suspend").asBoolean(false)) {
      containerLog().info("Reconciliation is suspended for this object");
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
    String sourceKind = ks.at("/spec/sourceRef/kind").asText();
    KubeKind kind = SourceKinds.of(sourceKind);
    if (kind == null) {
      String message = "source `" + sourceName + "` kind '" + sourceKind + "' not supported (spec.sourceRef.kind: "
          + String.join(", ", SourceKinds.NAMES) + ")";
      containerLog().error("Reconciliation failed", message);
      notReady(ks, "ArtifactFailed", message);
      return interval;
    }
    JsonNode source = api.get(kind, sourceNs, sourceName);
    String revision = source == null ? "" : source.at("/status/artifact/revision").asText("");
    ArtifactStore.Artifact artifact = revision.isEmpty() || kind != FluxKinds.GIT_REPOSITORY ? null : artifacts.get(sourceNs, sourceName);
    if (artifact == null || !artifact.revision().equals(revision)) {
      String message = sourceNotReady(source, ks.at("/spec/sourceRef"), sourceNs, sourceName);
      containerLog().info(message);
      notReady(ks, "ArtifactFailed", message);
      return SOURCE_RETRY_MILLIS;
    }
    if (ks.at("/spec/dependsOn").size() > 0) {
      Optional<String> dependency = Dependencies.notReady(api, ks, revision);
      if (dependency.isPresent()) {
        notReady(ks, Dependencies.REASON, dependency.get());
        String message = "Dependencies do not meet ready condition, retrying in " + GoDuration.millis(Dependencies.REQUEUE_MILLIS);
        containerLog().info(message);
        events.normal(ks, Dependencies.REASON, message, revision);
        return Dependencies.REQUEUE_MILLIS;
      }
      containerLog().info("All dependencies are ready, proceeding with reconciliation");
    }
    KustomizationStatus run = new KustomizationStatus(api, ks, revision);
    progressing(run);
    Applier.Outcome outcome;
    try {
      List<KustomizationPlan.Planned> plan = KustomizationPlan.of(ks, build.build(ks, artifact.files()), api::kind);
      applier.impersonate(ks, plan);
      applier.dryRun(plan, ks.at("/spec/force").asBoolean(false));
      outcome = applier.apply(plan);
    } catch (BuildFailure e) {
      return failed(run, e.reason(), e.getMessage(), started);
    } catch (KustomizationPlan.ValidationFailure | Applier.ApplyFailure e) {
      return failed(run, "ReconciliationFailed", e.getMessage(), started);
    }
    if (!outcome.actions().isEmpty()) {
      containerLog().info("server-side apply completed", "output", Mappers.JSON.valueToTree(outcome.actions()), "revision", revision);
    }
    List<String> changes = outcome.changes();
    if (!changes.isEmpty()) {
      events.normal(ks, KustomizationStatus.readyReason(ks), String.join("\n", changes), revision);
    }
    List<NudgeRules.InventoryEntry> stale = new ArrayList<>();
    for (NudgeRules.InventoryEntry old : KustomizationDeletion.inventory(ks)) {
      if (!outcome.inventory().containsKey(old.id())) {
        stale.add(old);
      }
    }
    Map<String, String> inventory = new LinkedHashMap<>(outcome.inventory());
    run.inventory(inventory);
    if (ks.at("/spec/prune").asBoolean(false) && !stale.isEmpty()) {
      try {
        List<String> collected = garbage.delete(ks, stale);
        containerLog().info("garbage collection completed: " + String.join("\n", collected));
        events.normal(ks, KustomizationStatus.readyReason(ks), String.join("\n", collected), revision);
      } catch (GarbageCollection.Failure f) {
        f.survivors.forEach(e -> inventory.put(e.id(), e.version()));
        return failed(run, "PruneFailed", f.getMessage(), started);
      }
    }
    Optional<String> unhealthy = health.stage(run, outcome, !changes.isEmpty(), events);
    if (unhealthy.isPresent()) {
      return failed(run, "HealthCheckFailed", unhealthy.get(), started);
    }
    run.fields.put("lastAppliedRevision", revision);
    run.observed();
    run.conditions.set("Ready", true, "ReconciliationSucceeded", "Applied revision: " + revision).remove("Reconciling").remove("Stalled");
    run.patch();
    String finished = "Reconciliation finished in " + GoDuration.format(Duration.ofNanos(System.nanoTime() - started))
        + ", next run in " + GoDuration.millis(interval);
    containerLog().info(finished, "revision", revision);
    events.normal(ks, "ReconciliationSucceeded", finished, revision);
    return interval;
  }

  /** Flux's message when the source has no artifact, and why, when the source says so. */
  static String sourceNotReady(JsonNode source, JsonNode sourceRef, String namespace, String name) {
    String kind = sourceRef.path("kind").asText();
    if (source == null) {
      // Flux names the reference as written: Kind/name, or Kind/namespace/name when it gives one
      String ns = sourceRef.path("namespace").asText("");
      return "Source '" + kind + "/" + (ns.isEmpty() ? "" : ns + "/") + name + "' not found";
    }
    JsonNode ready = FluxStatus.find(source, "Ready");
    String why = "False".equals(ready.path("status").asText())
        ? ": " + kind + " " + namespace + "/" + name + " is not ready: " + ready.path("message").asText()
        : "";
    return "Source artifact not found, retrying in " + SOURCE_RETRY_MILLIS / 1000 + "s" + why;
  }

  /** While it works on a new revision, Flux shows Reconciling (Progressing) and Ready Unknown. */
  private void progressing(KustomizationStatus run) {
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
  private long failed(KustomizationStatus run, String reason, String message, long started) {
    JsonNode ks = run.ks;
    reportFailure(ks, reason, message);
    long retry = KustomizationTimes.retryMillis(ks);
    run.conditions.set("Ready", false, reason, message);
    if (run.conditions.has("Reconciling")) {
      run.conditions.set("Reconciling", true, "ProgressingWithRetry", run.conditions.message("Reconciling", message));
    }
    run.patch();
    containerLog().error("Reconciliation failed after " + GoDuration.format(Duration.ofNanos(System.nanoTime() - started)) + ", next try in "
        + GoDuration.millis(retry), message, "revision", run.revision);
    events.warning(ks, reason, message, run.revision);
    return retry;
  }

  /** Ready=False before any work on a revision began (no source, a dependency): status only. */
  private void notReady(JsonNode ks, String reason, String message) {
    reportFailure(ks, reason, message);
    KustomizationStatus status = new KustomizationStatus(api, ks, null);
    status.conditions.set("Ready", false, reason, message);
    status.patch();
  }

  /** A refusal: Ready=False and Stalled, no retry until the spec changes. */
  private void stall(JsonNode ks, String reason, String message) {
    reportFailure(ks, reason, message);
    KustomizationStatus status = new KustomizationStatus(api, ks, null);
    status.conditions.set("Ready", false, reason, message).set("Stalled", true, reason, message).remove("Reconciling");
    status.observed();
    status.patch();
    containerLog().error("Reconciliation stalled", message);
    if (!message.equals(FluxStatus.find(ks, "Stalled").path("message").asText())) {
      events.warning(ks, reason, message, null);
    }
  }
}
