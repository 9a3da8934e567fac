package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.GitCredentials;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.GitCredentialStore;

/**
 * The {@code git clone} line people copy from the terminal: the password stays in the data dir's
 * credential store, out of the URL and the clone's {@code .git/config}.
 */
final class CloneCommand {
  private CloneCommand() {}

  static String of(GitServer git, DataDir dir) {
    return GitCredentialStore.cloneCommand(dir, git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY), "workshop");
  }
}
