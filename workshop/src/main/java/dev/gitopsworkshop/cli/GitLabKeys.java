package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.GitCredentials;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.lab.LabFile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What lab.json says about the Git server, and the clone command people copy. */
final class GitLabKeys {
  private GitLabKeys() {}

  static void describe(LabFile lab, GitServer git) {
    String url = git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY);
    lab.put("git", "url", url)
        .put("git", "username", git.participant().username())
        .put("git", "password", git.participant().password())
        .put("git", "operatorUsername", git.operator().username())
        .put("git", "operatorPassword", git.operator().password())
        .put("git", "eventsUrl", git.eventsUrl());
    if (lab.get("git", "clusterUrl") == null) {
      lab.put("git", "clusterUrl", url);
    }
  }

  static String cloneCommand(GitServer git) {
    String url = git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY);
    String auth =
        git.participant().username() + ":" + URLEncoder.encode(git.participant().password(), StandardCharsets.UTF_8) + "@";
    return "git clone " + url.replaceFirst("^http://", "http://" + auth) + " workshop";
  }
}
