package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.build.BuildFailure;
import dev.gitopsworkshop.sync.build.KustomizeBuild;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded kustomize-controller, one Kustomization ({@code kustomize.toolkit.fluxcd.io/v1}) at a
 * time, as a straight pipeline: the source's artifact ({@code sourceRef.kind} honoured), build
 * ({@link KustomizeBuild}: kustomize, post-build), validate the whole set ({@link KustomizationPlan}),
 * a server-side dry run, apply and prune ({@link Applier}), status. A set in which anything fails
 * is not applied at all, and nothing is pruned after a failed build:
 * the last good state stays. Like Flux it reconciles at its interval, at once on a new source
 * revision, and on a new {@code reconcile.fluxcd.io/requestedAt}; it does not watch what it applied.
 */
final class KustomizeController extends Reconciler {
  static final String MANAGER = Applier.MANAGER;
  /** How soon to look again for a source that has no artifact yet (Flux's default is 30s). */
  private static final long SOURCE_RETRY_MILLIS = 1000;

  private final Applier applier;
  private final KustomizeBuild build;

  private final ArtifactStore artifacts;

  KustomizeController(Kube api, ArtifactStore artifacts, Path workDir, Optional<Path> kubectl) {
    super(api, "kustomize-controller");
    this.artifacts = artifacts;
    this.applier = new Applier(api);
    this.build = new KustomizeBuild(workDir, kubectl, (kind, ns, name) -> api.get(SourceKinds.core(kind), ns, name));
    watch(FluxKinds.KUSTOMIZATION, this::whenSpecOrRequestChanged);
    watch(FluxKinds.GIT_REPOSITORY, this::dependents);
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
    JsonNode ks = api.get(FluxKinds.KUSTOMIZATION, namespace, name);
    if (ks == null || ks.at("/spec/suspend").asBoolean(false)) {
      return -1;
    }
    long interval = FluxStatus.intervalMillis(ks);
    String sourceNs = ks.at("/spec/sourceRef/namespace").asText(namespace);
    String sourceName = ks.at("/spec/sourceRef/name").asText();
    String sourceKind = ks.at("/spec/sourceRef/kind").asText();
    KubeKind kind = SourceKinds.of(sourceKind);
    if (kind == null) {
      fail(ks, "ArtifactFailed", "source `" + sourceName + "` kind '" + sourceKind + "' not supported (spec.sourceRef.kind: "
          + String.join(", ", SourceKinds.NAMES) + ")", null);
      return interval;
    }
    JsonNode source = api.get(kind, sourceNs, sourceName);
    String revision = source == null ? "" : source.at("/status/artifact/revision").asText("");
    ArtifactStore.Artifact artifact = revision.isEmpty() || kind != FluxKinds.GIT_REPOSITORY ? null : artifacts.get(sourceNs, sourceName);
    if (artifact == null || !artifact.revision().equals(revision)) {
      fail(ks, "ArtifactFailed", sourceNotReady(source, ks.at("/spec/sourceRef"), sourceNs, sourceName), null);
      return SOURCE_RETRY_MILLIS;
    }
    progressing(ks, revision);
    Applier.Outcome outcome;
    try {
      List<KustomizationPlan.Planned> plan = KustomizationPlan.of(ks, build.build(ks, artifact.files()), api::kind);
      applier.dryRun(plan);
      outcome = applier.apply(plan, ks.at("/status/inventory/entries"), ks.at("/spec/prune").asBoolean(false));
    } catch (BuildFailure e) {
      fail(ks, e.reason(), e.getMessage(), revision);
      return interval;
    } catch (KustomizationPlan.ValidationFailure | Applier.ApplyFailure e) {
      fail(ks, "ReconciliationFailed", e.getMessage(), revision);
      return interval;
    }
    ObjectNode next = FluxStatus.handled(ks);
    next.put("lastAppliedRevision", revision);
    next.put("lastAttemptedRevision", revision);
    ArrayNode entries = next.putObject("inventory").putArray("entries");
    outcome.inventory().forEach((id, version) -> entries.addObject().put("id", id).put("v", version));
    next.set("conditions", FluxStatus.conditions(FluxStatus.condition("Ready", true, "ReconciliationSucceeded",
        "Applied revision: " + revision, ks)));
    api.patchStatus(FluxKinds.KUSTOMIZATION, namespace, name, FluxStatus.statusPatch(next));
    if (!outcome.changes().isEmpty()) {
      Events.record(api, ks, "Normal", "ReconciliationSucceeded", String.join("\n", outcome.changes()), MANAGER);
    }
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
  private void progressing(JsonNode ks, String revision) {
    if (revision.equals(ks.at("/status/lastAttemptedRevision").asText()) && FluxStatus.find(ks, "Reconciling").isMissingNode()) {
      return;
    }
    ObjectNode next = Mappers.JSON.createObjectNode();
    String message = "Fetching manifests for revision " + revision + " with a timeout of "
        + ks.at("/spec/timeout").asText(ks.at("/spec/interval").asText("1m"));
    next.set("conditions", FluxStatus.conditions(
        FluxStatus.condition("Reconciling", true, "Progressing", message, ks),
        FluxStatus.condition("Ready", null, "Progressing", "Reconciliation in progress", ks)));
    patchStatus(ks, next);
  }

  private void fail(JsonNode ks, String reason, String message, String attempted) {
    reportFailure(ks, reason, message);
    ObjectNode next = FluxStatus.handled(ks);
    if (attempted != null) {
      next.put("lastAttemptedRevision", attempted);
    }
    next.set("conditions", FluxStatus.conditions(FluxStatus.condition("Ready", false, reason, message, ks)));
    patchStatus(ks, next);
    if (!message.equals(FluxStatus.find(ks, "Ready").path("message").asText())) {
      Events.record(api, ks, "Warning", reason, message, MANAGER);
    }
  }

  private void patchStatus(JsonNode ks, ObjectNode status) {
    api.patchStatus(FluxKinds.KUSTOMIZATION, ks.at("/metadata/namespace").asText(), ks.at("/metadata/name").asText(),
        FluxStatus.statusPatch(status));
  }
}
