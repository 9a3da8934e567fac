package dev.gitopsworkshop.tutorial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guided run's keys, in tmux: ? explains, s solves a step, r resets one, q quits; a participant
 * can go on by hand from a clone the runner made, and the runner sees the push as it happens.
 */
class GuidedKeysTmuxIT {
  private static final Duration STEP = Duration.ofSeconds(60);
  @TempDir Path tmp;

  /** A guided run in window 0 of a new session, showing step 0; it says how it ended ({@code run-ended-with-0}). */
  private Tmux guidedRun(String name) throws Exception {
    assumeTrue(Tmux.installed(), "tmux is installed");
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    String run = String.join(" ", cli.workshop("run", "--cluster", "embedded", "--data-dir", tmp.resolve("lab").toString()));
    Tmux tmux = Tmux.start(cli, tmp, name);
    tmux.type(0, "export HOME=" + tmp.resolve("home") + " GIT_TERMINAL_PROMPT=0; " + run + "; echo run-ended-with-$?");
    tmux.awaitScreen("step 0 shown", "(keys: s = solve it for me", STEP);
    return tmux;
  }

  @Test
  void helpSolveResetAndQuitKeysAndAPushByHandFromTheSolvedClone() throws Exception {
    Path data = tmp.resolve("lab");
    try (Tmux tmux = guidedRun("keys")) {

      tmux.press("?");
      tmux.awaitScreen("the help line", "s: do this step for me", STEP);
      for (int step = 0; step <= 3; step++) {
        tmux.awaitScreen("step " + step + " shown", "──── step " + step + " ────", STEP);
        tmux.press("s");
        tmux.awaitScreen("step " + step + " solved", "✔ step " + step + " done", STEP);
      }

      tmux.type(1, "export HOME=" + tmp.resolve("home") + " GIT_TERMINAL_PROMPT=0 GIT_AUTHOR_NAME=P GIT_AUTHOR_EMAIL=p@example.com"
          + " GIT_COMMITTER_NAME=P GIT_COMMITTER_EMAIL=p@example.com; cd " + data.resolve("workspace"));
      tmux.type(1, "cp examples/podinfo-dep.yaml deploy/kubernetes/ && git add . && git commit -q -m 'Add podinfo' && git push -q");
      tmux.awaitScreen("step 4 done by hand, the push seen as an event", "✔ step 4 done", STEP);
      assertTrue(tmux.screen().lines().anyMatch(l -> l.startsWith("✔ step 4 done") && l.contains("(push to applied in")), tmux.screen());

      tmux.awaitScreen("step 6 shown", "──── step 6 ────", STEP);
      tmux.press("s");
      tmux.awaitScreen("step 6 solved", "✔ step 6 done", STEP);

      tmux.awaitScreen("step 7 shown", "──── step 7 ────", STEP);
      tmux.press("r");
      tmux.awaitScreen("step 7 reset", "► resetting this step", STEP);
      tmux.press("q");
      tmux.awaitScreen("the run ended", "run-ended-with-0", STEP);
      String screen = tmux.screen();
      assertTrue(screen.contains("quit at step 7"), screen);
      assertTrue(screen.lines().anyMatch(l -> l.startsWith("07-scale-through-git") && l.contains("SKIPPED")), screen);
      assertFalse(screen.contains("✔ step 7 done"), screen);
      assertFalse(Files.exists(data.resolve("lab.json")), "the lab the run started stopped with it");
    }
  }

  @Test
  void ctrlCStopsTheLabTheRunStartedAndGivesTheTerminalBack() throws Exception {
    Path data = tmp.resolve("lab");
    try (Tmux tmux = guidedRun("ctrlc")) {
      tmux.keys(0, "C-c");
      await("the run ended").atMost(STEP).until(() -> tmux.screen().lines().anyMatch(l -> l.matches("run-ended-with-\\d+")));
      assertFalse(Files.exists(data.resolve("lab.json")), "the lab stopped");
      tmux.type(0, "echo MODES=$(stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ')");
      await("the terminal's modes").atMost(STEP).until(() -> tmux.screen().lines().anyMatch(l -> l.startsWith("MODES=")));
      String modes = tmux.screen().lines().filter(l -> l.startsWith("MODES=")).findFirst().orElseThrow();
      assertTrue(modes.contains("icanon") && !modes.contains("-icanon") && !modes.contains("-echo"), modes);
    }
  }
}
