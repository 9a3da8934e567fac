package dev.gitopsworkshop.tutorial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Tmux;
import dev.gitopsworkshop.support.Urls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guided run's keys and messages, in tmux: ? explains, s solves a step, r resets one, q quits
 * with a command that goes on (pasted, it works); the KUBECONFIG hint when nothing reaches the lab;
 * a push refused because main moved on is explained with the command that fixes it; a lab whose
 * steps are done is recognised; Ctrl-C says what stopped and how to go on.
 */
class GuidedKeysTmuxIT {
  private static final Duration STEP = Duration.ofSeconds(60);
  @TempDir Path tmp;

  private Cli cli() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    return new Cli(tmp.resolve("home"), tmp);
  }

  private static String shell(String... words) {
    StringBuilder line = new StringBuilder();
    for (String w : words) {
      line.append(line.length() == 0 ? "" : " ").append(PrintedCommands.quote(w));
    }
    return line.toString();
  }

  /** A guided run in window 0 of a new session, showing its first screen; it says how it ended ({@code run-ended-with-0}). */
  private Tmux guidedRun(Cli cli, String name, String... extra) throws Exception {
    assumeTrue(Tmux.installed(), "tmux is installed");
    String[] args = new String[] {"run", "--cluster", "embedded", "--data-dir", tmp.resolve("my lab").toString()};
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    Tmux tmux = Tmux.start(cli, tmp, name);
    tmux.type(0, "export HOME=" + tmp.resolve("home") + " GIT_TERMINAL_PROMPT=0; " + shell(cli.workshop(all)) + "; echo run-ended-with-$?");
    return tmux;
  }

  @Test
  void keysHintsARefusedPushAndAQuitLineThatWorksWhenPasted() throws Exception {
    Cli cli = cli();
    Path data = tmp.resolve("my lab");
    try (Tmux tmux = guidedRun(cli, "keys", "--budget-scale", "0.02")) {
      tmux.awaitScreen("step 0 shown", "(keys: s = solve it for me", STEP);
      tmux.press("?");
      tmux.awaitScreen("the help line", "s: do this step for me", STEP);
      for (int step = 0; step <= 3; step++) {
        tmux.awaitScreen("step " + step + " shown", "──── step " + step + " ────", STEP);
        if (step == 1) {
          // nobody's kubectl reached the lab: the first hint says how to point it there
          tmux.awaitScreen("the KUBECONFIG hint", "hint: nothing has reached the lab since this step began", STEP);
          assertTrue(tmux.screen().contains("export KUBECONFIG='" + data.resolve("kubeconfig") + "'"), tmux.screen());
        }
        tmux.press("s");
        tmux.awaitScreen("step " + step + " solved", "✔ step " + step + " done", STEP);
      }

      tmux.typeLiterally(1, "export HOME=" + tmp.resolve("home") + " GIT_TERMINAL_PROMPT=0 GIT_AUTHOR_NAME=P GIT_AUTHOR_EMAIL=p@example.com"
          + " GIT_COMMITTER_NAME=P GIT_COMMITTER_EMAIL=p@example.com; cd " + PrintedCommands.quote(data.resolve("workspace").toString()));
      tmux.typeLiterally(1, "cp examples/podinfo-dep.yaml deploy/kubernetes/ && git add . && git commit -q -m 'Add podinfo' && git push -q");
      tmux.awaitScreen("step 4 done by hand, the push seen as an event", "✔ step 4 done", STEP);
      assertTrue(tmux.screen().lines().anyMatch(l -> l.startsWith("✔ step 4 done") && l.contains("(push to applied in")), tmux.screen());

      for (int step = 5; step <= 6; step++) {
        tmux.awaitScreen("step " + step + " shown", "──── step " + step + " ────", STEP);
        tmux.press("s");
        tmux.awaitScreen("step " + step + " solved", "✔ step " + step + " done", STEP);
      }

      // someone else pushes while the participant works on step 7: their own push is refused
      tmux.awaitScreen("step 7 shown", "──── step 7 ────", STEP);
      LabFile lab = LabFile.read(DataDir.at(data));
      Path other = tmp.resolve("other");
      cli.git(null, "clone", "-q", Urls.withCredentials(lab.gitUrl(), lab.gitUsername(), lab.gitPassword()), other.toString()).ok();
      Files.writeString(other.resolve("NOTES.md"), "a colleague's note\n");
      cli.git(other, "add", ".").ok();
      cli.git(other, "commit", "-q", "-m", "A colleague's note").ok();
      cli.git(other, "push", "-q").ok();
      tmux.typeLiterally(1, "sed -i 's/replicas: 1/replicas: 4/' deploy/kubernetes/podinfo-dep.yaml && git commit -q -am 'Scale podinfo to 4'; git push -q");
      tmux.awaitScreen("the refused push explained", "after your clone last pulled, so 'git push' is refused", STEP);
      String fix = tmux.screen().lines().dropWhile(l -> !l.contains("so 'git push' is refused")).skip(1).findFirst().orElseThrow().strip();
      tmux.typeLiterally(1, fix);
      tmux.awaitScreen("step 7 done after the fix the runner showed", "✔ step 7 done", STEP);

      tmux.awaitScreen("step 8 shown", "──── step 8 ────", STEP);
      tmux.press("r");
      tmux.awaitScreen("step 8 reset", "► resetting this step", STEP);
      tmux.press("q");
      tmux.awaitScreen("the run ended", "run-ended-with-0", STEP);
      String screen = tmux.screen();
      assertTrue(screen.lines().anyMatch(l -> l.startsWith("08-automate-image-updates") && l.contains("SKIPPED")), screen);
      assertFalse(screen.contains("✔ step 8 done"), screen);
      assertFalse(Files.exists(data.resolve("lab.json")), "the lab the run started stopped with it");

      // the quit line names the data dir; pasted, it goes on at step 8
      String quit = screen.lines().filter(l -> l.startsWith("quit at step 8 (")).findFirst().orElseThrow();
      String goOn = quit.substring(quit.indexOf("to go on from here: ") + "to go on from here: ".length()).strip();
      assertTrue(goOn.endsWith("run --from 8 --data-dir " + PrintedCommands.quote(data.toString())), goOn);
      tmux.typeLiterally(0, "clear; " + goOn + "; echo again-ended-with-$?");
      tmux.awaitScreen("step 8 shown again", "──── step 8 ────", STEP);
      tmux.press("q");
      tmux.awaitScreen("the second run ended", "again-ended-with-0", STEP);
    }
  }

  @Test
  void aLabWithEveryStepDoneIsRecognisedAndCanBeStartedOver() throws Exception {
    Cli cli = cli();
    Path data = tmp.resolve("my lab");
    cli.run(tmp, cli.workshop("run", "--auto", "--cluster", "embedded", "--data-dir", data.toString())).ok();
    try (Tmux tmux = guidedRun(cli, "done")) {
      tmux.awaitScreen("the done steps said", "Steps 0-8 are done on this lab already.", STEP);
      assertTrue(tmux.screen().contains("Enter: go on (every step is done"), tmux.screen());
      tmux.keys(0, "Enter");
      tmux.awaitScreen("the lab kept for what comes next", "The lab keeps running until you press q", STEP);
      assertTrue(tmux.screen().lines().filter(l -> l.contains("SKIPPED")).count() == 9, tmux.screen());
      tmux.press("q");
      tmux.awaitScreen("the run ended", "run-ended-with-0", STEP);
    }
    try (Tmux tmux = guidedRun(cli, "over")) {
      tmux.awaitScreen("the done steps said", "Steps 0-8 are done on this lab already.", STEP);
      tmux.press("r");
      tmux.awaitScreen("started over at step 0", "──── step 0 ────", STEP);
      assertTrue(tmux.screen().contains("undo step 8: git pull"), tmux.screen());
      assertFalse(Files.exists(data.resolve("workspace")), "step 0 undone: no clone");
      tmux.press("q");
      tmux.awaitScreen("the run ended", "run-ended-with-0", STEP);
    }
  }

  @Test
  void ctrlCStopsTheLabTheRunStartedSaysHowToGoOnAndGivesTheTerminalBack() throws Exception {
    Path data = tmp.resolve("my lab");
    try (Tmux tmux = guidedRun(cli(), "ctrlc")) {
      tmux.awaitScreen("step 0 shown", "(keys: s = solve it for me", STEP);
      tmux.keys(0, "C-c");
      await("the run ended").atMost(STEP).until(() -> tmux.screen().lines().anyMatch(l -> l.matches("run-ended-with-\\d+")));
      assertFalse(Files.exists(data.resolve("lab.json")), "the lab stopped");
      String screen = tmux.screen();
      assertTrue(screen.contains("stopped at step 0: the lab this run started is stopped"), screen);
      assertTrue(screen.contains("to go on from step 0: "), screen);
      assertTrue(screen.replace("\n", "").contains("run --from 0 --data-dir " + PrintedCommands.quote(data.toString())), screen);
      tmux.type(0, "echo MODES=$(stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ')");
      await("the terminal's modes").atMost(STEP).until(() -> tmux.screen().lines().anyMatch(l -> l.startsWith("MODES=")));
      String modes = tmux.screen().lines().filter(l -> l.startsWith("MODES=")).findFirst().orElseThrow();
      assertTrue(modes.contains("icanon") && !modes.contains("-icanon") && !modes.contains("-echo"), modes);
    }
  }
}
