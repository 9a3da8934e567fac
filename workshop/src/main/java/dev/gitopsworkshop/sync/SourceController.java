package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The embedded source-controller: for each GitRepository ({@code source.toolkit.fluxcd.io/v1}) it
 * fetches {@code spec.ref.branch} over HTTP with the {@code secretRef}'s username and password,
 * keeps the tree as the artifact, and writes Flux's status: {@code artifact.revision}
 * {@code main@sha1:<sha>}, Ready / ArtifactInStorage, or FetchFailed with a plain reason.
 */
final class SourceController extends Reconciler {
  private static final String COMPONENT = "source-controller";
  private final GitFetcher git;

  private final ArtifactStore artifacts;

  SourceController(Kube api, java.nio.file.Path cache, ArtifactStore artifacts) {
    super(api, "source-controller");
    this.artifacts = artifacts;
    this.git = new GitFetcher(cache);
    watch(FluxKinds.GIT_REPOSITORY, this::whenSpecOrRequestChanged);
  }

  @Override
  protected long reconcile(String namespace, String name) {
    JsonNode repo = api.get(FluxKinds.GIT_REPOSITORY, namespace, name);
    if (repo == null) {
      artifacts.remove(namespace, name);
      return -1;
    }
    if (repo.at("/spec/suspend").asBoolean(false)) {
      return -1;
    }
    String url = repo.at("/spec/url").asText();
    String branch = repo.at("/spec/ref/branch").asText("master");
    try {
      UsernamePasswordCredentialsProvider credentials = GitSecret.credentials(api, namespace, repo);
      int timeout = (int) Math.max(1, FluxStatus.durationMillis(repo.at("/spec/timeout").asText(""), 60_000) / 1000);
      ArtifactStore.Artifact artifact = git.fetch(url, branch, credentials, timeout);
      artifacts.put(namespace, name, artifact);
      boolean changed = !artifact.revision().equals(repo.at("/status/artifact/revision").asText(""));
      api.patchStatus(FluxKinds.GIT_REPOSITORY, namespace, name, FluxStatus.statusPatch(stored(repo, artifact, changed)));
      if (changed) {
        Events.record(api, repo, "Normal", "NewArtifact", "stored artifact for commit '" + artifact.commitSubject() + "'", COMPONENT);
      }
    } catch (GitFetcher.FetchFailure e) {
      reportFailure(repo, e.reason, e.getMessage());
      api.patchStatus(FluxKinds.GIT_REPOSITORY, namespace, name, FluxStatus.statusPatch(failed(repo, e.reason, e.getMessage())));
      if (!e.getMessage().equals(FluxStatus.find(repo, "Ready").path("message").asText())) {
        Events.record(api, repo, "Warning", e.reason, e.getMessage(), COMPONENT);
      }
      return Math.min(FluxStatus.intervalMillis(repo), 10_000);
    }
    return FluxStatus.intervalMillis(repo);
  }

  /** The status of a GitRepository whose artifact is stored, shaped as source-controller writes it. */
  static ObjectNode stored(JsonNode repo, ArtifactStore.Artifact artifact, boolean changed) {
    String namespace = repo.at("/metadata/namespace").asText();
    String name = repo.at("/metadata/name").asText();
    String revision = artifact.revision();
    ObjectNode next = FluxStatus.handled(repo);
    ObjectNode a = next.putObject("artifact");
    String location = "gitrepository/" + namespace + "/" + name + "/" + revision.substring(revision.indexOf(':') + 1) + ".tar.gz";
    a.put("path", location);
    a.put("url", "http://source-controller.flux-system.svc.cluster.local./" + location);
    a.put("revision", revision);
    a.put("digest", GitFetcher.digest(artifact.files()));
    a.put("lastUpdateTime", changed ? FluxStatus.now() : repo.at("/status/artifact/lastUpdateTime").asText(FluxStatus.now()));
    a.put("size", artifact.files().values().stream().mapToLong(b -> b.length).sum());
    String message = "stored artifact for revision '" + revision + "'";
    next.set("conditions", FluxStatus.conditions(
        FluxStatus.condition("Ready", true, "Succeeded", message, repo),
        FluxStatus.condition("ArtifactInStorage", true, "Succeeded", message, repo)));
    return next;
  }

  /** A failed fetch: Ready False and FetchFailed with the reason; the last artifact stays. */
  static ObjectNode failed(JsonNode repo, String reason, String message) {
    ObjectNode next = FluxStatus.handled(repo);
    JsonNode previous = repo.at("/status/artifact");
    if (previous.isObject()) {
      next.set("artifact", previous);
    }
    next.set("conditions", FluxStatus.conditions(
        FluxStatus.condition("Ready", false, reason, message, repo),
        FluxStatus.condition("FetchFailed", true, reason, message, repo)));
    return next;
  }
}
