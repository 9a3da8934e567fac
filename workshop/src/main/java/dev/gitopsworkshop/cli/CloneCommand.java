package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.GitCredentials;
import dev.gitopsworkshop.git.GitServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The {@code git clone} line people copy from the terminal. */
final class CloneCommand {
  private CloneCommand() {}

  static String of(GitServer git) {
    String url = git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY);
    String auth =
        git.participant().username() + ":" + URLEncoder.encode(git.participant().password(), StandardCharsets.UTF_8) + "@";
    return "git clone " + url.replaceFirst("^http://", "http://" + auth) + " workshop";
  }
}
