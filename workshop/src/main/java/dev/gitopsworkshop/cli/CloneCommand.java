package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.WorkshopGit;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.GitCredentialStore;

/**
 * The {@code git clone} line people copy from the terminal: into the lab's workspace, where the
 * tutorial looks; the password (the lab's own server's, or another host's) stays in the data dir's
 * credential store, out of the URL, the clone's {@code .git/config} and the terminal.
 */
final class CloneCommand {
  private CloneCommand() {}

  static String of(WorkshopGit git, DataDir dir) {
    return GitCredentialStore.cloneCommand(dir, git.url(), dir.workspace().toString());
  }

  /** Which Git the lab uses, in words. */
  static String where(WorkshopGit git) {
    return git.mode().equals("lab") ? "Git server at " + git.url().substring(0, git.url().lastIndexOf('/') + 1)
        : "Git at " + git.url() + " (as " + git.participant().username() + ")";
  }
}
