package dev.gitopsworkshop.tutorial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant's guided run, in tmux: the runner in one window, the commands each step's text
 * shows (its own git and kubectl lines, as written) typed in another. Every step passes without the solve key; a hint shows up once a step
 * runs past its budget (scaled down here so the test does not wait minutes).
 */
class GuidedRunTmuxIT {
  @TempDir Path tmp;
  Tmux tmux;

  @AfterEach
  void killSession() {
    if (tmux != null) {
      tmux.close();
    }
  }

  private void type(String command) {
    tmux.type(1, command);
  }

  private void awaitDone(int step) {
    tmux.awaitScreen("step " + step + " done", "✔ step " + step + " done", Duration.ofSeconds(60));
  }

  @Test
  void everyStepPassesByHandWithoutTheSolveKey() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is installed");
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Path data = tmp.resolve("lab");
    String run = String.join(" ", cli.workshop("run", "--cluster", "embedded", "--data-dir", data.toString(), "--budget-scale", "0.01"));
    tmux = Tmux.start(cli, tmp, "guided");
    tmux.type(0, "export HOME=" + tmp.resolve("home") + " GIT_TERMINAL_PROMPT=0; " + run);
    await("the lab started").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(data.resolve("lab.json")) && tmux.screen().contains("step 0"));
    LabFile lab = LabFile.read(DataDir.at(data));
    tmux.awaitScreen("a hint past the budget", "hint:", Duration.ofSeconds(30));

    type("export HOME=" + tmp.resolve("home") + " GIT_TERMINAL_PROMPT=0 KUBECONFIG=" + lab.kubeconfig()
        + " GIT_AUTHOR_NAME=P GIT_AUTHOR_EMAIL=p@example.com GIT_COMMITTER_NAME=P GIT_COMMITTER_EMAIL=p@example.com");
    type("alias kubectl='kubectl --cache-dir " + tmp.resolve("kube-cache") + "'");
    Map<String, String> values = Map.of(
        "git.cloneCommand", "git clone -c credential.helper= -c 'credential.helper=store --file=" + data.resolve("git-credentials")
            + "' " + lab.gitUrl() + " " + data.resolve("workspace"),
        "workspace", data.resolve("workspace").toString(),
        "git.operatorUsername", lab.get("git", "operatorUsername"),
        "git.operatorPassword", lab.get("git", "operatorPassword"));
    for (int step = 0; step <= 8; step++) {
      Path file;
      try (var files = Files.list(Cli.projectRoot().resolve("steps"))) {
        String prefix = String.format("%02d-", step);
        file = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
      }
      for (String command : StepCommands.of(file, values)) {
        type(command);
      }
      awaitDone(step);
    }
    tmux.awaitScreen("the summary", "08-automate-image-updates", Duration.ofSeconds(30));
    assertFalse(tmux.screen().contains("solving it for you"), "no step was solved by the runner");
  }
}
