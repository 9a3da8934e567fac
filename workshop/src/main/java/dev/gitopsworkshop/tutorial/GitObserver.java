package dev.gitopsworkshop.tutorial;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The tutorial's view of the workshop repository as the Git server holds it (not as anybody's
 * clone does): a private bare mirror of {@code main}, fetched over HTTP before each look.
 */
public final class GitObserver {
  private final TutorialContext context;
  private final Path mirror;

  GitObserver(TutorialContext context, Path mirror) {
    this.context = context;
    this.mirror = mirror;
  }

  /** The commit {@code main} points to on the server now. */
  public synchronized RevCommit head() throws Exception {
    if (!Files.exists(mirror.resolve("HEAD"))) {
      Git.init().setBare(true).setDirectory(mirror.toFile()).setInitialBranch("main").call().close();
    }
    try (Git git = Git.open(mirror.toFile())) {
      git.fetch().setRemote(context.lab().gitUrl()).setCredentialsProvider(context.gitCredentials())
          .setRefSpecs("+refs/heads/main:refs/heads/main").setTimeout(10).call();
      Repository repo = git.getRepository();
      ObjectId id = repo.resolve("refs/heads/main");
      try (RevWalk walk = new RevWalk(repo)) {
        return walk.parseCommit(id);
      }
    }
  }

  /** Whether {@code path} is in the tree of main on the server. */
  public synchronized boolean fileExists(String path) throws Exception {
    RevCommit head = head();
    try (Git git = Git.open(mirror.toFile());
        TreeWalk tree = TreeWalk.forPath(git.getRepository(), path, head.getTree())) {
      return tree != null;
    }
  }

  /**
   * Full messages of the commits on main, newest first, that {@code sinceId} (a commit id, or null
   * for the whole history) does not reach; at most {@code limit}.
   */
  public synchronized List<String> messagesSince(String sinceId, int limit) throws Exception {
    RevCommit head = head();
    List<String> out = new ArrayList<>();
    try (Git git = Git.open(mirror.toFile())) {
      var log = git.log().add(head).setMaxCount(limit);
      if (sinceId != null) {
        ObjectId since = ObjectId.fromString(sinceId);
        if (git.getRepository().getObjectDatabase().has(since)) {
          log.not(since);
        }
      }
      for (RevCommit c : log.call()) {
        out.add(c.getFullMessage());
      }
    }
    return out;
  }
}
