package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.WorkshopGit;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The {@code git clone} line people copy from the terminal. */
final class CloneCommand {
  private CloneCommand() {}

  /**
   * With the lab's own server, the URL carries the participant's password, so that pushes by hand
   * ask for nothing; another host's password or token is never printed (git asks for it).
   */
  static String of(WorkshopGit git) {
    if (!git.mode().equals("lab")) {
      return "git clone " + git.url() + " workshop";
    }
    String auth = git.participant().username() + ":" + URLEncoder.encode(git.participant().password(), StandardCharsets.UTF_8) + "@";
    return "git clone " + git.url().replaceFirst("^http://", "http://" + auth) + " workshop";
  }

  /** Which Git the lab uses, in words. */
  static String where(WorkshopGit git) {
    return git.mode().equals("lab") ? "Git server at " + git.url().substring(0, git.url().lastIndexOf('/') + 1)
        : "Git at " + git.url() + " (as " + git.participant().username() + ")";
  }
}
