package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.GitCredentials;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.PrintedCommands;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The {@code git clone} line people copy from the terminal: into the lab's workspace, where the tutorial looks. */
final class CloneCommand {
  private CloneCommand() {}

  static String of(GitServer git, DataDir dir) {
    String url = git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY);
    String auth =
        git.participant().username() + ":" + URLEncoder.encode(git.participant().password(), StandardCharsets.UTF_8) + "@";
    return "git clone " + url.replaceFirst("^http://", "http://" + auth) + " " + PrintedCommands.quote(dir.workspace().toString());
  }
}
