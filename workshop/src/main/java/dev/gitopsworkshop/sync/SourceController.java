package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import dev.gitopsworkshop.sync.source.ArtifactContent;
import dev.gitopsworkshop.sync.source.GitReference;
import dev.gitopsworkshop.sync.source.GitRepositoryFields;
import dev.gitopsworkshop.sync.source.SourceIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The embedded source-controller: for each GitRepository ({@code source.toolkit.fluxcd.io/v1}) it
 * fetches what {@code spec.ref} names over HTTP with the {@code secretRef}'s username and password,
 * composes the artifact as Flux does (sparse checkout, includes, ignore rules; see
 * {@link ArtifactContent}), and writes Flux's status: {@code artifact.revision} in Flux's format
 * ({@link GitReference}), Ready / ArtifactInStorage, or FetchFailed with a plain reason. Fields it
 * does not honour are refused by name ({@link GitRepositoryFields}).
 */
final class SourceController extends Reconciler {
  private static final String COMPONENT = "source-controller";
  /** How soon to look again for an include that has no artifact yet (Flux's default is 5s). */
  private static final long INCLUDE_RETRY_MILLIS = 1000;
  private final GitFetcher git;
  private final ArtifactStore artifacts;
  /** The artifact digest last seen of each GitRepository, to tell its includers when it changes. */
  private final Map<String, String> digests = new ConcurrentHashMap<>();

  SourceController(Kube api, java.nio.file.Path cache, ArtifactStore artifacts) {
    super(api, "source-controller");
    this.artifacts = artifacts;
    this.git = new GitFetcher(cache);
    watch(FluxKinds.GIT_REPOSITORY, repo -> {
      List<String> keys = new ArrayList<>(whenSpecOrRequestChanged(repo));
      keys.addAll(includersOnNewArtifact(repo));
      return keys;
    });
  }

  /** GitRepositories that include this one, when its artifact changed. */
  private List<String> includersOnNewArtifact(JsonNode repo) {
    String digest = repo.at("/status/artifact/digest").asText("");
    if (digest.isEmpty() || digest.equals(digests.put(key(repo), digest))) {
      return List.of();
    }
    String namespace = repo.at("/metadata/namespace").asText();
    String name = repo.at("/metadata/name").asText();
    List<String> keys = new ArrayList<>();
    for (JsonNode other : api.list(FluxKinds.GIT_REPOSITORY)) {
      if (namespace.equals(other.at("/metadata/namespace").asText())) {
        for (JsonNode include : other.at("/spec/include")) {
          if (name.equals(include.at("/repository/name").asText())) {
            keys.add(key(other));
          }
        }
      }
    }
    return keys;
  }

  @Override
  protected KubeKind kind() {
    return FluxKinds.GIT_REPOSITORY;
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
    long interval = FluxStatus.intervalMillis(repo);
    var refused = GitRepositoryFields.refusal(repo);
    if (refused.isPresent()) {
      // as Flux stalls on what only a change of spec can mend
      report(repo, failed(repo, refused.get().reason(), refused.get().message(), "Stalled"), refused.get().message());
      return interval;
    }
    String url = repo.at("/spec/url").asText();
    try {
      UsernamePasswordCredentialsProvider credentials = GitSecret.credentials(api, namespace, repo);
      int timeout = (int) Math.max(1, FluxStatus.durationMillis(repo.at("/spec/timeout").asText(""), 60_000) / 1000);
      GitFetcher.Checkout checkout = git.fetch(url, GitReference.of(repo.at("/spec/ref")), credentials, timeout);
      Map<String, byte[]> files = ArtifactContent.sparse(checkout.files(), repo.at("/spec/sparseCheckout"));
      List<ObjectNode> included = new ArrayList<>();
      files = ArtifactContent.include(files, repo.at("/spec/include"), other -> {
        ArtifactStore.Artifact a = artifacts.get(namespace, other);
        JsonNode otherRepo = a == null ? null : api.get(FluxKinds.GIT_REPOSITORY, namespace, other);
        if (otherRepo == null || !otherRepo.at("/status/artifact").isObject()) {
          return null;
        }
        included.add(otherRepo.at("/status/artifact").deepCopy());
        return a.files();
      });
      JsonNode ignore = repo.at("/spec/ignore");
      files = SourceIgnore.of(files, ignore.isTextual() ? ignore.asText() : null).filter(files);
      ArtifactStore.Artifact previous = artifacts.get(namespace, name);
      // nothing new (the same commit, read once, the same rules): the same artifact, its digest and
      // the kustomize builds made from it still good
      ArtifactStore.Artifact artifact = previous != null && previous.sameAs(checkout.revision(), files) ? previous
          : new ArtifactStore.Artifact(checkout.revision(), files, checkout.commitSubject());
      artifacts.put(namespace, name, artifact);
      boolean changed = !artifact.digest().equals(repo.at("/status/artifact/digest").asText(""));
      ObjectNode status = stored(repo, artifact, changed);
      if (!included.isEmpty()) {
        status.putArray("includedArtifacts").addAll(included);
      }
      api.patchStatus(FluxKinds.GIT_REPOSITORY, namespace, name, FluxStatus.statusPatch(status));
      if (!artifact.revision().equals(repo.at("/status/artifact/revision").asText(""))) {
        Events.record(api, repo, "Normal", "NewArtifact", "stored artifact for commit '" + artifact.commitSubject() + "'", COMPONENT);
        containerLog().info("stored artifact for commit '" + artifact.commitSubject() + "'", "revision", artifact.revision());
      }
    } catch (GitFetcher.FetchFailure e) {
      report(repo, failed(repo, e.reason, e.getMessage(), "FetchFailed"), e.getMessage());
      return Math.min(interval, 10_000);
    } catch (ArtifactContent.Failure e) {
      report(repo, failed(repo, e.reason, e.getMessage(), e.condition), e.getMessage());
      return "IncludeUnavailable".equals(e.condition) ? INCLUDE_RETRY_MILLIS : Math.min(interval, 10_000);
    }
    return interval;
  }

  private void report(JsonNode repo, ObjectNode status, String message) {
    reportFailure(repo, status.at("/conditions/0/reason").asText(), message);
    api.patchStatus(FluxKinds.GIT_REPOSITORY, repo.at("/metadata/namespace").asText(), repo.at("/metadata/name").asText(),
        FluxStatus.statusPatch(status));
    if (!message.equals(FluxStatus.find(repo, "Ready").path("message").asText())) {
      String reason = status.at("/conditions/0/reason").asText();
      Events.record(api, repo, "Warning", reason, message, COMPONENT);
      containerLog().error("Reconciler error", message);
    }
  }

  /** The status of a GitRepository whose artifact is stored, shaped as source-controller writes it. */
  static ObjectNode stored(JsonNode repo, ArtifactStore.Artifact artifact, boolean changed) {
    String namespace = repo.at("/metadata/namespace").asText();
    String name = repo.at("/metadata/name").asText();
    String revision = artifact.revision();
    ObjectNode next = FluxStatus.handled(repo);
    ObjectNode a = next.putObject("artifact");
    String location = "gitrepository/" + namespace + "/" + name + "/" + revision.substring(revision.lastIndexOf(':') + 1) + ".tar.gz";
    a.put("path", location);
    a.put("url", "http://source-controller.flux-system.svc.cluster.local./" + location);
    a.put("revision", revision);
    a.put("digest", artifact.digest());
    a.put("lastUpdateTime", changed ? FluxStatus.now() : repo.at("/status/artifact/lastUpdateTime").asText(FluxStatus.now()));
    a.put("size", artifact.files().values().stream().mapToLong(b -> b.length).sum());
    for (String observed : List.of("ignore", "include", "sparseCheckout", "recurseSubmodules")) {
      JsonNode value = repo.at("/spec/" + observed);
      if (!value.isMissingNode()) {
        next.set("observed" + Character.toUpperCase(observed.charAt(0)) + observed.substring(1), value);
      }
    }
    String message = "stored artifact for revision '" + revision + "'";
    next.set("conditions", FluxStatus.conditions(
        FluxStatus.condition("Ready", true, "Succeeded", message, repo),
        FluxStatus.condition("ArtifactInStorage", true, "Succeeded", message, repo)));
    return next;
  }

  /** A failure: Ready False and {@code condition} True with the reason; the last artifact stays. */
  static ObjectNode failed(JsonNode repo, String reason, String message, String condition) {
    ObjectNode next = FluxStatus.handled(repo);
    JsonNode previous = repo.at("/status/artifact");
    if (previous.isObject()) {
      next.set("artifact", previous);
    }
    next.set("conditions", FluxStatus.conditions(
        FluxStatus.condition("Ready", false, reason, message, repo),
        FluxStatus.condition(condition, true, reason, message, repo)));
    return next;
  }

  /** A failed fetch: Ready False and FetchFailed with the reason; the last artifact stays. */
  static ObjectNode failed(JsonNode repo, String reason, String message) {
    return failed(repo, reason, message, "FetchFailed");
  }

  @Override
  public void close() {
    super.close();
    git.close();
  }
}
