package dev.gitopsworkshop.tutorial;

import dev.gitopsworkshop.ThreadScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * The tutorial's view of the workshop repository as the Git server holds it (not as anybody's
 * clone does): {@code main} fetched over HTTP before each look, into a mirror held in memory, so
 * that a guided run and a {@code check} from another terminal never contend for files.
 */
public final class GitObserver {
  private static final String MAIN = "refs/heads/main";
  private final TutorialContext context;
  private final InMemoryRepository mirror;
  /** The look in progress on each thread (this repository's; another lab's observer has its own). */
  private final ThreadScope<Look> looks = new ThreadScope<>();

  GitObserver(TutorialContext context) {
    this.context = context;
    try {
      // a file system too, for repositories given as paths (tests); HTTP needs none
      mirror = new InMemoryRepository.Builder().setRepositoryDescription(new DfsRepositoryDescription("workshop-mirror"))
          .setFS(FS.DETECTED).build();
      // Git's first protocol: the refs come with the first answer, so a look at a main that has not
      // moved is one request (the second protocol asks for them in a second one); half the time
      mirror.getConfig().setInt("protocol", null, "version", 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The commit {@code main} points to on the server now; within {@link #oneLook}, the one it pointed
   * to when that look first asked.
   */
  public synchronized RevCommit head() throws Exception {
    Look look = looks.current();
    if (look != null && look.head != null) {
      return look.head;
    }
    RevCommit head = fetchHead();
    if (look != null) {
      look.head = head;
    }
    return head;
  }

  private RevCommit fetchHead() throws Exception {
    try (Git git = new Git(mirror)) {
      git.fetch().setRemote(context.lab().gitUrl()).setCredentialsProvider(context.gitCredentials())
          .setRefSpecs(new RefSpec("+" + MAIN + ":" + MAIN)).setTimeout(10).call();
    }
    ObjectId id = mirror.resolve(MAIN);
    if (id == null) {
      throw new IllegalStateException("the workshop repository has no branch main");
    }
    try (RevWalk walk = new RevWalk(mirror)) {
      return walk.parseCommit(id);
    }
  }

  /**
   * Runs {@code look} (one look at the lab: a step's checks, or every step's) with the server's
   * {@code main} fetched at most once, on this thread: checks read in one look agree on what Git
   * holds, and a look costs one fetch, not one per check. A look inside a look shares it.
   */
  public <T> T oneLook(java.util.function.Supplier<T> look) {
    return looks.run(Look::new, look);
  }

  /** The head one look has seen so far (null: not asked yet). */
  private static final class Look {
    RevCommit head;
  }

  /** Whether {@code path} is in the tree of main on the server. */
  public synchronized boolean fileExists(String path) throws Exception {
    RevCommit head = head();
    try (TreeWalk tree = TreeWalk.forPath(mirror, path, head.getTree())) {
      return tree != null;
    }
  }

  /**
   * Full messages of the commits on main, newest first, that {@code sinceId} (a commit id, or null
   * for the whole history) does not reach; at most {@code limit}.
   */
  public synchronized List<String> messagesSince(String sinceId, int limit) throws Exception {
    return commitsSince(sinceId, limit).stream().map(Commit::message).toList();
  }

  /** A commit as the checks read it: its full message and its author as {@code Name <email>}. */
  public record Commit(String message, String author) {}

  /** Like {@link #messagesSince}, with each commit's author. */
  public synchronized List<Commit> commitsSince(String sinceId, int limit) throws Exception {
    RevCommit head = head();
    List<Commit> out = new ArrayList<>();
    try (Git git = new Git(mirror)) {
      var log = git.log().add(head).setMaxCount(limit);
      if (sinceId != null) {
        ObjectId since = ObjectId.fromString(sinceId);
        if (mirror.getObjectDatabase().has(since)) {
          log.not(since);
        }
      }
      for (RevCommit c : log.call()) {
        out.add(new Commit(c.getFullMessage(), c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">"));
      }
    }
    return out;
  }

  /**
   * When the clone at {@code workspace} has commits that main on the server lacks, and lacks main's
   * head on the server (someone else pushed meanwhile): its push would be refused as not a
   * fast-forward. Then main's head on the server; else empty.
   */
  public synchronized java.util.Optional<RevCommit> divergedFrom(java.nio.file.Path workspace) throws Exception {
    java.nio.file.Path dotGit = workspace.resolve(".git");
    if (!java.nio.file.Files.isDirectory(dotGit)) {
      return java.util.Optional.empty();
    }
    RevCommit serverHead = head();
    try (org.eclipse.jgit.lib.Repository local = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(dotGit.toFile())
        .setMustExist(true).build()) {
      ObjectId localHead = local.resolve("refs/heads/main");
      if (localHead == null || mirror.getObjectDatabase().has(localHead)) {
        return java.util.Optional.empty(); // nothing unpushed
      }
      if (local.getObjectDatabase().has(serverHead)) {
        try (RevWalk walk = new RevWalk(local)) {
          if (walk.isMergedInto(walk.parseCommit(serverHead), walk.parseCommit(localHead))) {
            return java.util.Optional.empty(); // ahead only: the push goes through
          }
        }
      }
      return java.util.Optional.of(serverHead);
    }
  }

  /** The id of {@code path}'s content on main on the server, or empty when it is not there. */
  public synchronized java.util.Optional<String> blobId(String path) throws Exception {
    RevCommit head = head();
    try (TreeWalk tree = TreeWalk.forPath(mirror, path, head.getTree())) {
      return tree == null ? java.util.Optional.empty() : java.util.Optional.of(tree.getObjectId(0).name());
    }
  }

  /** The content of {@code path} on main on the server, or empty when it is not there. */
  public synchronized java.util.Optional<String> read(String path) throws Exception {
    RevCommit head = head();
    try (TreeWalk tree = TreeWalk.forPath(mirror, path, head.getTree())) {
      if (tree == null) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new String(mirror.open(tree.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
