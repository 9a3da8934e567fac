package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.KubeClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The embedded source-controller: for each GitRepository ({@code source.toolkit.fluxcd.io/v1}) it
 * fetches {@code spec.ref.branch} over HTTP with the {@code secretRef}'s username and password,
 * keeps the tree as the artifact, and writes Flux's status: {@code artifact.revision}
 * {@code main@sha1:<sha>}, Ready / ArtifactInStorage, or FetchFailed with a plain reason.
 */
final class SourceController extends Reconciler {
  static final String PATH = "/apis/source.toolkit.fluxcd.io/v1";
  private final java.nio.file.Path cache;

  SourceController(KubeClient kube, java.nio.file.Path cache) {
    super(kube, "source-controller");
    this.cache = cache;
    watch(PATH + "/gitrepositories", this::whenSpecOrRequestChanged);
  }

  @Override
  protected long reconcile(String namespace, String name) {
    String path = PATH + "/namespaces/" + namespace + "/gitrepositories/" + name;
    JsonNode repo = kube.getOrNull(path);
    if (repo == null || repo.at("/spec/suspend").asBoolean(false)) {
      return -1;
    }
    long generation = repo.at("/metadata/generation").asLong(1);
    JsonNode status = repo.path("status");
    String url = repo.at("/spec/url").asText();
    String branch = repo.at("/spec/ref/branch").asText("master");
    ObjectNode next = KubeClient.JSON.createObjectNode();
    next.put("observedGeneration", generation);
    String requested = FluxStatus.requestedAt(repo);
    if (requested != null) {
      next.put("lastHandledReconcileAt", requested);
    }
    try {
      UsernamePasswordCredentialsProvider credentials = credentials(namespace, repo);
      ArtifactStore.Artifact artifact = fetch(url, branch, credentials);
      ArtifactStore.put(namespace, name, artifact);
      boolean changed = !artifact.revision().equals(status.at("/artifact/revision").asText(""));
      ObjectNode a = next.putObject("artifact");
      a.put("path", "gitrepository/" + namespace + "/" + name + "/" + artifact.revision().substring(artifact.revision().indexOf(':') + 1) + ".tar.gz");
      a.put("url", "http://source-controller.flux-system.svc.cluster.local./gitrepository/" + namespace + "/" + name + "/latest.tar.gz");
      a.put("revision", artifact.revision());
      a.put("digest", digest(artifact.files()));
      a.put("lastUpdateTime", changed ? now() : status.at("/artifact/lastUpdateTime").asText(now()));
      a.put("size", artifact.files().values().stream().mapToLong(b -> b.length).sum());
      String message = "stored artifact for revision '" + artifact.revision() + "'";
      next.set("conditions", FluxStatus.conditions(
          FluxStatus.condition("Ready", true, "Succeeded", message, generation, status),
          FluxStatus.condition("ArtifactInStorage", true, "Succeeded", message, generation, status)));
      kube.mergePatch(path + "/status", wrap(next));
      if (changed) {
        Events.record(kube, repo, "Normal", "NewArtifact", "stored artifact for commit '" + artifact.commitSubject() + "'", "source-controller");
      }
    } catch (FetchFailure e) {
      if (status.has("artifact")) {
        next.set("artifact", status.get("artifact"));
      }
      next.set("conditions", FluxStatus.conditions(
          FluxStatus.condition("Ready", false, e.reason, e.getMessage(), generation, status),
          FluxStatus.condition("FetchFailed", true, e.reason, e.getMessage(), generation, status)));
      kube.mergePatch(path + "/status", wrap(next));
      Events.record(kube, repo, "Warning", e.reason, e.getMessage(), "source-controller");
      return Math.min(FluxStatus.intervalMillis(repo), 10_000);
    }
    return FluxStatus.intervalMillis(repo);
  }

  private static ObjectNode wrap(ObjectNode status) {
    ObjectNode patch = KubeClient.JSON.createObjectNode();
    patch.set("status", status);
    return patch;
  }

  private UsernamePasswordCredentialsProvider credentials(String namespace, JsonNode repo) {
    String secretName = repo.at("/spec/secretRef/name").asText("");
    if (secretName.isEmpty()) {
      return null;
    }
    JsonNode secret = kube.getOrNull("/api/v1/namespaces/" + namespace + "/secrets/" + secretName);
    if (secret == null) {
      throw new FetchFailure("AuthenticationFailed",
          "failed to get secret '" + namespace + "/" + secretName + "': secrets \"" + secretName + "\" not found");
    }
    String user = decode(secret.at("/data/username"));
    String pass = decode(secret.at("/data/password"));
    return new UsernamePasswordCredentialsProvider(user, pass);
  }

  private static String decode(JsonNode value) {
    return value.isMissingNode() ? "" : new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8);
  }

  /** Fetches the branch into a local bare cache and reads the tree of its head. */
  private ArtifactStore.Artifact fetch(String url, String branch, UsernamePasswordCredentialsProvider credentials) {
    java.nio.file.Path dir = cache.resolve(HexFormat.of().formatHex(sha256(url.getBytes(StandardCharsets.UTF_8))).substring(0, 16));
    try {
      Repository repository;
      if (!java.nio.file.Files.exists(dir.resolve("HEAD"))) {
        Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
      }
      try (Git git = Git.open(dir.toFile())) {
        repository = git.getRepository();
        var fetch = git.fetch().setRemote(url).setRefSpecs("+refs/heads/" + branch + ":refs/heads/" + branch).setTimeout(20);
        if (credentials != null) {
          fetch.setCredentialsProvider(credentials);
        }
        var result = fetch.call();
        Ref ref = result.getAdvertisedRef("refs/heads/" + branch);
        if (ref == null) {
          throw new FetchFailure("GitOperationFailed",
              "failed to checkout and determine revision: unable to clone '" + url + "': couldn't find remote ref \"refs/heads/" + branch + "\"");
        }
        return read(repository, ref.getObjectId(), branch);
      }
    } catch (FetchFailure e) {
      throw e;
    } catch (TransportException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      if (msg.contains("not authorized") || msg.contains("Authentication is required") || msg.contains("401")) {
        throw new FetchFailure("AuthenticationFailed",
            "failed to checkout and determine revision: unable to clone '" + url + "': authentication required: the username or password in the secretRef is wrong");
      }
      if (msg.contains("not found") || msg.contains("404")) {
        throw new FetchFailure("GitOperationFailed",
            "failed to checkout and determine revision: unable to clone '" + url + "': repository not found");
      }
      throw new FetchFailure("GitOperationFailed",
          "failed to checkout and determine revision: unable to clone '" + url + "': " + msg);
    } catch (Exception e) {
      throw new FetchFailure("GitOperationFailed",
          "failed to checkout and determine revision: unable to clone '" + url + "': " + e.getMessage());
    }
  }

  private static ArtifactStore.Artifact read(Repository repository, ObjectId commitId, String branch) throws java.io.IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(commitId);
      Map<String, byte[]> files = new TreeMap<>();
      try (TreeWalk tree = new TreeWalk(repository)) {
        tree.addTree(commit.getTree());
        tree.setRecursive(true);
        while (tree.next()) {
          files.put(tree.getPathString(), repository.open(tree.getObjectId(0)).getBytes());
        }
      }
      return new ArtifactStore.Artifact(branch + "@sha1:" + commit.name(), files, commit.getShortMessage());
    }
  }

  private static String digest(Map<String, byte[]> files) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    files.forEach((p, b) -> {
      md.update(p.getBytes(StandardCharsets.UTF_8));
      md.update(b);
    });
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A fetch that failed, with Flux's reason. */
  static final class FetchFailure extends RuntimeException {
    final String reason;

    FetchFailure(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }
}
