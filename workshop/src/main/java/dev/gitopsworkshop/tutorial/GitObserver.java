package dev.gitopsworkshop.tutorial;

import java.io.IOException;
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
final class GitObserver {
  private final TutorialContext context;
  private final Path mirror;

  GitObserver(TutorialContext context, Path mirror) {
    this.context = context;
    this.mirror = mirror;
  }

  /** The commit {@code main} points to on the server now. */
  synchronized RevCommit head() throws Exception {
    if (!Files.exists(mirror.resolve("HEAD"))) {
      Git.init().setBare(true).setDirectory(mirror.toFile()).call().close();
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

  synchronized boolean fileExists(String path) throws Exception {
    RevCommit head = head();
    try (Repository repo = Git.open(mirror.toFile()).getRepository();
        TreeWalk tree = TreeWalk.forPath(repo, path, head.getTree())) {
      return tree != null;
    }
  }

  /** Subjects of the commits on main, newest first (at most {@code limit}). */
  synchronized List<String> subjects(int limit) throws Exception {
    head();
    List<String> out = new ArrayList<>();
    try (Git git = Git.open(mirror.toFile())) {
      for (RevCommit c : git.log().add(git.getRepository().resolve("refs/heads/main")).setMaxCount(limit).call()) {
        out.add(c.getShortMessage());
      }
    } catch (IOException e) {
      throw e;
    }
    return out;
  }
}
