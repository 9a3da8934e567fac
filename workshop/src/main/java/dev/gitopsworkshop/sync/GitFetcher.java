package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.git.AutoGc;
import dev.gitopsworkshop.sync.source.GitReference;
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
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The source-controller's Git stage: fetches what a GitRepository's {@code spec.ref} names
 * ({@link GitCheckout}: a branch, a tag, the highest tag in a semver range, a ref name, a commit)
 * over HTTP into a local bare cache (one per URL, so a fetch only transfers what is new) and reads
 * its tree as the artifact. Failures carry Flux's reason and a message that names the problem plainly.
 * The cache is packed as git packs after a fetch ({@link AutoGc}).
 */
public final class GitFetcher implements AutoCloseable {
  private final Path cache;
  private final AutoGc autoGc = new AutoGc("source-controller");
  /** What a fetch checked out: the revision in Flux's format, the commit's files by path, its subject. */
  record Checkout(String revision, Map<String, byte[]> files, String commitSubject) {}

  /** Each cache's last read commit (its revision names the commit), by cache folder. */
  private final Map<Path, Checkout> lastRead = new ConcurrentHashMap<>();

  GitFetcher(Path cache) {
    this.cache = cache;
  }

  /** Stops packing the cache (a collection under way is cancelled). */
  @Override
  public void close() {
    autoGc.close();
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
  Checkout fetch(String url, GitReference ref, CredentialsProvider credentials, int timeoutSeconds) {
    Path dir = cache.resolve(HexFormat.of().formatHex(sha256(url.getBytes(StandardCharsets.UTF_8))).substring(0, 16));
    HttpStatuses.reset();
    try {
      if (!Files.exists(dir.resolve("HEAD"))) {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call().close();
      }
      try (Git git = Git.open(dir.toFile())) {
        AutoGc.replaceJGits(git.getRepository());
        GitCheckout checkout = GitCheckout.of(git, url, ref, credentials, timeoutSeconds);
        autoGc.collectSoon(dir);
        String revision = ref.revision(checkout.ref(), checkout.commit().name());
        Checkout last = lastRead.get(dir);
        if (last != null && last.revision().equals(revision)) {
          return last; // the commit read last time: its files again, not read and inflated anew
        }
        Checkout read = read(git.getRepository(), checkout.commit(), revision);
        lastRead.put(dir, read);
        return read;
      }
    } catch (FetchFailure e) {
      throw e;
    } catch (Exception e) {
      throw classify(url, ref.branch(), e);
    }
  }

  /** The branch is not in the repository (it was never pushed, or its name is mistyped). */
  static FetchFailure missingBranch(String url, String branch) {
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

  static FetchFailure failure(String url, String what) {
    return new FetchFailure("GitOperationFailed", prefix(url) + what);
  }

  private static Checkout read(Repository repository, ObjectId commitId, String revision) throws IOException {
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
      return new Checkout(revision, files, commit.getShortMessage());
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
