package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.sync.GitFetcher;
import dev.gitopsworkshop.sync.HttpStatuses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automation's Git stage: clone the branch, let the setters edit the files, commit as the
 * configured author, push. When the branch moved in the meantime (a participant pushed), the push
 * is refused as not fast-forward; then the change is made again on the new head, which is a rebase
 * of the automation's commit onto it. It never forces: nobody's commit is lost.
 */
final class GitUpdate {
  private static final Logger LOG = LoggerFactory.getLogger(GitUpdate.class);
  /** Edits the checked-out files; returns what it changed (nothing: no commit). */
  interface Edit {
    List<Setters.Change> apply(Path worktree) throws IOException;
  }

  /** What a run did: the commit pushed (null when nothing changed) and its message, the changes, and the head it started from. */
  record Outcome(String pushedCommit, String message, List<Setters.Change> changes, String head, int attempts) {}

  /** A clone, commit or push that failed, with Flux's reason. */
  static final class GitFailure extends Exception {
    final String reason;

    GitFailure(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  private static final int ATTEMPTS = 5;
  private final Path workRoot;
  private final Runnable beforePush;

  GitUpdate(Path workRoot) {
    this(workRoot, () -> { });
  }

  /** {@code beforePush} runs between the commit and each push (tests race a participant's push there). */
  GitUpdate(Path workRoot, Runnable beforePush) {
    this.workRoot = workRoot;
    this.beforePush = beforePush;
  }

  Outcome run(String url, String checkoutBranch, String pushBranch, CredentialsProvider credentials, PersonIdent author,
      Function<List<Setters.Change>, String> message, Edit edit, int timeoutSeconds) throws GitFailure {
    for (int attempt = 1; ; attempt++) {
      Path dir;
      try {
        Files.createDirectories(workRoot);
        dir = Files.createTempDirectory(workRoot, "checkout-");
      } catch (IOException e) {
        throw new GitFailure("GitOperationFailed", "cannot make a work directory: " + e.getMessage());
      }
      try (Git git = clone(url, checkoutBranch, credentials, timeoutSeconds, dir)) {
        String head = git.getRepository().resolve("HEAD").name();
        List<Setters.Change> changes = edit.apply(dir);
        if (changes.isEmpty()) {
          return new Outcome(null, null, changes, head, attempt);
        }
        git.add().addFilepattern(".").call();
        String text = message.apply(changes);
        RevCommit commit = git.commit().setAuthor(author).setCommitter(author).setMessage(text).setSign(false).call();
        beforePush.run();
        PushResult result = git.push().setRemote("origin").setCredentialsProvider(credentials).setTimeout(timeoutSeconds)
            .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("HEAD:refs/heads/" + pushBranch)).setForce(false)
            .call().iterator().next();
        RemoteRefUpdate update = result.getRemoteUpdate("refs/heads/" + pushBranch);
        switch (update.getStatus()) {
          case OK, UP_TO_DATE -> {
            return new Outcome(commit.name(), text, changes, head, attempt);
          }
          case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
            if (attempt == ATTEMPTS) {
              throw new GitFailure("GitOperationFailed", "the branch '" + pushBranch + "' kept moving: " + ATTEMPTS
                  + " pushes were refused as not fast-forward; the automation tries again at its next run");
            }
          }
          default -> throw new GitFailure("GitOperationFailed", "the Git server refused the push to '" + pushBranch + "': "
              + update.getStatus() + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
        }
      } catch (GitAPIException | IOException e) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("not authorized") || text.contains("403") || text.contains("401")) {
          throw new GitFailure("GitOperationFailed", "the Git server refused the push with the GitRepository's credentials: " + text
              + " (do they allow pushing?)");
        }
        throw new GitFailure("GitOperationFailed", "failed to update '" + url + "': " + text);
      } catch (GitFetcher.FetchFailure e) {
        throw new GitFailure(e.reason, e.getMessage());
      } finally {
        deleteQuietly(dir);
      }
    }
  }

  private static Git clone(String url, String branch, CredentialsProvider credentials, int timeoutSeconds, Path dir) {
    HttpStatuses.reset();
    try {
      return Git.cloneRepository().setURI(url).setBranch(branch).setCredentialsProvider(credentials)
          .setTimeout(timeoutSeconds).setDirectory(dir.toFile()).call();
    } catch (Exception e) {
      throw GitFetcher.classify(url, branch, e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete the work dir {}", dir, e);
    }
  }
}
