package dev.gitopsworkshop.sync;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import dev.gitopsworkshop.sync.image.SemverRange;
import dev.gitopsworkshop.sync.image.SemverVersion;
import dev.gitopsworkshop.sync.source.GitReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The source-controller's Git stage: fetches what a GitRepository's {@code spec.ref} names (a
 * branch, a tag, the highest tag in a semver range, a ref name, a commit) over HTTP into a local
 * bare cache (one per URL, so a fetch only transfers what is new) and reads its tree as the artifact.
 * Failures carry Flux's reason and a message that names the problem plainly.
 */
public final class GitFetcher {
  private final Path cache;

  GitFetcher(Path cache) {
    this.cache = cache;
  }

  /** A fetch that failed, with Flux's reason (GitOperationFailed or AuthenticationFailed). */
  public static final class FetchFailure extends RuntimeException {
    public final String reason;

    FetchFailure(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  /**
   * Fetches what {@code ref} names and reads its tree: the files of the commit (without submodules
   * and symbolic links, which Flux's artifacts leave out) and the revision in Flux's format.
   */
  ArtifactStore.Artifact fetch(String url, GitReference ref, CredentialsProvider credentials, int timeoutSeconds) {
    Path dir = cache.resolve(HexFormat.of().formatHex(sha256(url.getBytes(StandardCharsets.UTF_8))).substring(0, 16));
    HttpStatuses.reset();
    try {
      if (!Files.exists(dir.resolve("HEAD"))) {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call().close();
      }
      try (Git git = Git.open(dir.toFile())) {
        Checkout checkout = switch (ref.strategy()) {
          case BRANCH -> single(git, url, ref, "refs/heads/" + ref.branch(), credentials, timeoutSeconds);
          case TAG -> single(git, url, ref, "refs/tags/" + ref.tag(), credentials, timeoutSeconds);
          case NAME -> single(git, url, ref, ref.name(), credentials, timeoutSeconds);
          case SEMVER -> semver(git, url, ref, credentials, timeoutSeconds);
          case COMMIT -> commit(git, url, ref, credentials, timeoutSeconds);
        };
        return read(git.getRepository(), checkout.commit(), ref.revision(checkout.ref(), checkout.commit().name()));
      }
    } catch (FetchFailure e) {
      throw e;
    } catch (Exception e) {
      throw classify(url, ref.branch(), e);
    }
  }

  /** What was checked out: the commit and the full ref it was reached through (empty for a bare commit). */
  private record Checkout(String ref, ObjectId commit) {}

  private static FetchResult fetch(Git git, String url, CredentialsProvider credentials, int timeoutSeconds, String... refSpecs)
      throws GitAPIException {
    var fetch = git.fetch().setRemote(url).setTimeout(timeoutSeconds).setTagOpt(TagOpt.NO_TAGS).setRefSpecs(refSpecs);
    if (credentials != null) {
      fetch.setCredentialsProvider(credentials);
    }
    return fetch.call();
  }

  /** A branch, a tag or a ref name: one ref, fetched alone. */
  private static Checkout single(Git git, String url, GitReference ref, String fullRef, CredentialsProvider credentials,
      int timeoutSeconds) throws GitAPIException, IOException {
    if (fullRef.startsWith("/") || fullRef.endsWith("/")) {
      throw revisionFailure("ref " + fullRef + " is invalid; Git refs cannot begin or end with a slash '/'");
    }
    String local = fullRef.endsWith("^{}") ? fullRef.substring(0, fullRef.length() - 3) : fullRef;
    FetchResult result;
    try {
      result = fetch(git, url, credentials, timeoutSeconds, "+" + local + ":" + local);
    } catch (TransportException e) {
      if (String.valueOf(e.getMessage()).contains("Remote does not have " + local)) {
        throw missingRef(url, ref);
      }
      throw e;
    }
    Ref advertised = result.getAdvertisedRef(local);
    if (advertised == null) {
      throw missingRef(url, ref);
    }
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      return new Checkout(fullRef, walk.parseCommit(advertised.getObjectId()).getId());
    }
  }

  /** The highest tag in the range; among equal versions the one on the newest commit, as Flux picks. */
  private static Checkout semver(Git git, String url, GitReference ref, CredentialsProvider credentials, int timeoutSeconds)
      throws GitAPIException, IOException {
    SemverRange range;
    try {
      range = SemverRange.parse(ref.semver());
    } catch (SemverRange.InvalidRange e) {
      throw revisionFailure("semver parse error: " + e.getMessage() + " (check spec.ref.semver, for example '>=1.0.0 <2.0.0' or '1.x')");
    }
    FetchResult result = fetch(git, url, credentials, timeoutSeconds, "+refs/tags/*:refs/tags/*");
    record Candidate(String tag, SemverVersion version, RevCommit commit) {}
    List<Candidate> candidates = new ArrayList<>();
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      for (Ref r : result.getAdvertisedRefs()) {
        String name = r.getName();
        if (!name.startsWith("refs/tags/") || name.endsWith("^{}")) {
          continue;
        }
        String tag = name.substring("refs/tags/".length());
        if (tag.split("\\.", 3).length != 3) {
          continue; // Flux reads only tags with three dot-separated parts as versions
        }
        Optional<SemverVersion> v = SemverVersion.parse(tag).filter(range::matches);
        if (v.isPresent()) {
          candidates.add(new Candidate(tag, v.get(), walk.parseCommit(r.getObjectId())));
        }
      }
    }
    Candidate best = candidates.stream()
        .max(Comparator.comparing(Candidate::version).thenComparingInt(c -> c.commit().getCommitTime()))
        .orElseThrow(() -> revisionFailure("no match found for semver: " + ref.semver()
            + " (the repository's tags: " + tagNames(result) + ")"));
    return new Checkout("refs/tags/" + best.tag(), best.commit().getId());
  }

  private static String tagNames(FetchResult result) {
    List<String> tags = result.getAdvertisedRefs().stream().map(Ref::getName)
        .filter(n -> n.startsWith("refs/tags/") && !n.endsWith("^{}")).map(n -> n.substring("refs/tags/".length())).sorted().toList();
    return tags.isEmpty() ? "none" : String.join(", ", tags.size() > 10 ? tags.subList(tags.size() - 10, tags.size()) : tags);
  }

  /** A commit, which must be reachable from the branch when one is given (from any branch otherwise). */
  private static Checkout commit(Git git, String url, GitReference ref, CredentialsProvider credentials, int timeoutSeconds)
      throws GitAPIException, IOException {
    List<String> specs = new ArrayList<>();
    specs.add(ref.branch().isEmpty() ? "+refs/heads/*:refs/heads/*" : "+refs/heads/" + ref.branch() + ":refs/heads/" + ref.branch());
    if (!ref.name().isEmpty() && !ref.name().startsWith("refs/heads/")) {
      specs.add("+" + ref.name() + ":" + ref.name());
    }
    FetchResult result;
    try {
      result = fetch(git, url, credentials, timeoutSeconds, specs.toArray(String[]::new));
    } catch (TransportException e) {
      if (String.valueOf(e.getMessage()).contains("Remote does not have refs/heads/")) {
        throw missingBranch(url, ref.branch());
      }
      throw e;
    }
    Repository repo = git.getRepository();
    try (RevWalk walk = new RevWalk(repo)) {
      ObjectId id = ObjectId.isId(ref.commit()) ? ObjectId.fromString(ref.commit()) : null;
      RevCommit commit = id == null || !repo.getObjectDatabase().has(id) ? null : walk.parseCommit(id);
      boolean reachable = false;
      for (Ref tip : result.getAdvertisedRefs()) {
        String n = tip.getName();
        boolean fetched = ref.branch().isEmpty() ? n.startsWith("refs/heads/") : n.equals("refs/heads/" + ref.branch());
        if (commit != null && (fetched || n.equals(ref.name())) && !reachable) {
          reachable = walk.isMergedInto(commit, walk.parseCommit(tip.getObjectId()));
          walk.reset();
        }
      }
      if (!reachable) {
        throw revisionFailure("unable to resolve commit object for '" + ref.commit() + "': object not found (the commit must be the full"
            + " 40-character SHA of a pushed commit" + (ref.branch().isEmpty() ? "" : " on branch '" + ref.branch() + "'") + ")");
      }
      String via = !ref.name().isEmpty() ? ref.name() : ref.branch().isEmpty() ? "" : "refs/heads/" + ref.branch();
      return new Checkout(via, commit.getId());
    }
  }

  private static FetchFailure revisionFailure(String what) {
    return new FetchFailure("GitOperationFailed", "failed to checkout and determine revision: " + what);
  }

  private static FetchFailure missingRef(String url, GitReference ref) {
    return switch (ref.strategy()) {
      case TAG -> failure(url, "couldn't find remote ref \"refs/tags/" + ref.tag() + "\": the repository has no tag '" + ref.tag()
          + "' (check spec.ref.tag, and that the tag was pushed: git push origin " + ref.tag() + ")");
      case NAME -> revisionFailure("unable to resolve ref '" + ref.name() + "' to a specific commit (check spec.ref.name, a full"
          + " ref such as refs/heads/main or refs/tags/v1.0.0)");
      default -> missingBranch(url, ref.branch());
    };
  }

  private static FetchFailure missingBranch(String url, String branch) {
    return failure(url, "couldn't find remote ref \"refs/heads/" + branch + "\": the repository has no branch '" + branch
        + "' (check spec.ref.branch, and that the branch was pushed)");
  }

  /**
   * Turns JGit's errors into what went wrong: credentials, URL, branch, or the server. What the
   * server answered decides (its HTTP status on this thread, {@link HttpStatuses}), then the
   * exception's type; never words of a message that also holds the URL.
   */
  public static FetchFailure classify(String url, String branch, Exception e) {
    return classify(url, branch, e, HttpStatuses.last());
  }

  static FetchFailure classify(String url, String branch, Exception e, int status) {
    Throwable root = e;
    boolean noRepository = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      noRepository |= t instanceof NoRemoteRepositoryException;
    }
    if (status == 401) {
      return new FetchFailure("AuthenticationFailed", prefix(url)
          + "authentication required: the server refused the username and password of the secretRef (HTTP 401); check the Secret's password");
    }
    if (status == 403) {
      return new FetchFailure("AuthenticationFailed", prefix(url)
          + "the server refused access to the repository (HTTP 403): check that the secretRef's user may read it");
    }
    if (status == 404 || noRepository) {
      return failure(url, "repository not found (HTTP 404): check spec.url");
    }
    if (String.valueOf(e.getMessage()).startsWith("Remote does not have refs/heads/")) {
      return missingBranch(url, branch);
    }
    if (status == 0 && (root instanceof ConnectException || root instanceof UnknownHostException
        || root instanceof java.net.SocketTimeoutException || root instanceof java.net.NoRouteToHostException)) {
      return failure(url, "cannot reach the Git server: " + (root.getMessage() == null ? root : root.getMessage())
          + "; check spec.url's host and port");
    }
    return failure(url, status >= 400 ? "the server answered HTTP " + status + ": " + e.getMessage() : String.valueOf(e.getMessage()));
  }

  private static String prefix(String url) {
    return "failed to checkout and determine revision: unable to clone '" + url + "': ";
  }

  private static FetchFailure failure(String url, String what) {
    return new FetchFailure("GitOperationFailed", prefix(url) + what);
  }

  private static ArtifactStore.Artifact read(Repository repository, ObjectId commitId, String revision) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(commitId);
      Map<String, byte[]> files = new TreeMap<>();
      try (TreeWalk tree = new TreeWalk(repository)) {
        tree.addTree(commit.getTree());
        tree.setRecursive(true);
        while (tree.next()) {
          FileMode mode = tree.getFileMode(0);
          if (mode == FileMode.GITLINK || mode == FileMode.SYMLINK) {
            continue; // submodules are not fetched, and Flux's artifacts hold regular files only
          }
          files.put(tree.getPathString(), repository.open(tree.getObjectId(0)).getBytes());
        }
      }
      return new ArtifactStore.Artifact(revision, files, commit.getShortMessage());
    }
  }

  /** Flux's artifact digest shape, {@code sha256:<hex>}, over the artifact's paths and contents. */
  static String digest(Map<String, byte[]> files) {
    MessageDigest md = sha256();
    files.forEach((p, b) -> {
      md.update(p.getBytes(StandardCharsets.UTF_8));
      md.update(b);
    });
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  private static byte[] sha256(byte[] b) {
    return sha256().digest(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
