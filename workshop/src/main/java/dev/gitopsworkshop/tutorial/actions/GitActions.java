package dev.gitopsworkshop.tutorial.actions;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PullResult;
import org.eclipse.jgit.api.RebaseCommand;
import org.eclipse.jgit.api.errors.CheckoutConflictException;
import org.eclipse.jgit.api.errors.WrongRepositoryStateException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * What a participant does with git, done with JGit in the workspace clone and through the lab's
 * Git server with the participant's credentials (so the server sees an ordinary push).
 */
public final class GitActions {
  /** The author of commits made by "solve it for me". */
  public static final PersonIdent SOLVER =
      new PersonIdent("Participant (solved by the workshop)", "participant@gitops-workshop.local");

  private static final String PULL_HINT =
      "in the workspace, see 'git status': commit or undo your changes, pull by hand, then try again";

  private GitActions() {}

  /**
   * {@code clone}: the workshop repository into the workspace (or brought up to date if there),
   * as step 0's command clones it, so that the participant can go on by hand from this clone: the
   * lab's URL, and the data dir's credential store as its credential helper (no password in the
   * clone).
   */
  public record Clone() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Path ws = c.workspace();
      if (Files.exists(ws.resolve(".git"))) {
        try (Git git = open(c)) {
          useCredentialStore(git, c);
        }
        new Pull().run(c);
        return;
      }
      try (Git git = Git.cloneRepository().setURI(c.lab().gitUrl()).setDirectory(ws.toFile()).setBranch("main")
          .setCredentialsProvider(c.gitCredentials()).call()) {
        useCredentialStore(git, c);
      }
    }

    @Override
    public String describe() {
      return "git clone the workshop repository";
    }
  }

  /** {@code pull}: what others (or the operator) pushed, rebased under local commits. */
  public record Pull() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      try (Git git = open(c)) {
        PullResult result;
        try {
          result = git.pull().setCredentialsProvider(c.gitCredentials()).setRebase(true).call();
        } catch (WrongRepositoryStateException | CheckoutConflictException e) {
          throw new WorkshopException("git pull cannot go on in the workspace: " + e.getMessage(), PULL_HINT, e);
        }
        if (!result.isSuccessful()) {
          // a conflict: leave the clone as it was before the pull, not in the middle of a rebase
          git.rebase().setOperation(RebaseCommand.Operation.ABORT).call();
          throw new WorkshopException("git pull met a conflict between your commits and main on the server", PULL_HINT);
        }
      }
    }

    @Override
    public String describe() {
      return "git pull";
    }
  }

  /** {@code commit}: everything changed in the workspace ({@code git add -A}); nothing to commit is fine. */
  public record Commit(String message) implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      try (Git git = open(c)) {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        if (git.status().call().isClean()) {
          return;
        }
        git.commit().setMessage(message).setAuthor(SOLVER).setCommitter(SOLVER).setSign(false).call();
      }
    }

    @Override
    public String describe() {
      return "git commit -m \"" + message + "\"";
    }
  }

  /** {@code push}: main to the lab's Git server; a refusal is an error saying what to do. */
  public record Push() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      try (Git git = open(c)) {
        for (PushResult result : git.push().setCredentialsProvider(c.gitCredentials()).setRemote("origin").call()) {
          for (RemoteRefUpdate u : result.getRemoteUpdates()) {
            if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
              throw new WorkshopException(
                  "git push was refused: " + u.getStatus() + (u.getMessage() == null ? "" : " " + u.getMessage()),
                  "pull first (someone else pushed), then push again");
            }
          }
        }
      }
    }

    @Override
    public String describe() {
      return "git push";
    }

    @Override
    public String reaction() {
      return "push to applied";
    }
  }

  /**
   * The clone's password lives in the data dir's credential store, never in {@code .git/config}: a
   * workspace cloned by an older version, with the password in its remote URL, loses it here.
   */
  static void useCredentialStore(Git git, TutorialContext c) throws java.io.IOException {
    StoredConfig config = git.getRepository().getConfig();
    String url = config.getString("remote", "origin", "url");
    if (url != null && url.matches("(?i)https?://[^/@]*@.*")) {
      config.setString("remote", "origin", "url", url.replaceFirst("(?i)^(https?://)[^/@]*@", "$1"));
    }
    config.setStringList("credential", null, "helper", c.credentialHelpers());
    config.save();
  }

  static Git open(TutorialContext c) throws Exception {
    if (!Files.isDirectory(c.workspace().resolve(".git"))) {
      throw new WorkshopException("there is no clone of the workshop repository at " + c.workspace(),
          "do step 0 first (or 'scripts/workshop reset 0' and run again)");
    }
    return Git.open(c.workspace().toFile());
  }
}
