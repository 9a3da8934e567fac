package dev.gitopsworkshop.tutorial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant's whole path, played in a 100x40 tmux window: the guided run in one window, and a
 * second shell that starts with an empty environment (no KUBECONFIG, nothing of the lab) where
 * only what the screen shows is typed: each step's commands as the runner renders them, with the
 * lab's values and a data dir whose path has a space. No solve key. Every step passes, and after
 * the last one the lab still answers until the participant quits.
 */
class ParticipantPathTmuxIT {
  private static final Duration STEP = Duration.ofSeconds(60);
  /** The first launcher command after a build also prepares the launcher's class-data archive (a training run of the whole tutorial). */
  private static final Duration LAUNCHER = Duration.ofMinutes(4);
  private static final int COLUMNS = 100;
  private static final int ROWS = 40;
  @TempDir Path tmp;
  Tmux tmux;

  @AfterEach
  void killSession() {
    if (tmux != null) {
      tmux.close();
    }
  }

  /** The second shell's prompt (bash without rc files), at the start of a line (after the ^C that ended a watch). */
  private static final Pattern PROMPT = Pattern.compile("^(\\^C)?bash-[\\d.]+[#$]( |$)");

  private long prompts() {
    return tmux.screen(1).lines().filter(l -> PROMPT.matcher(l).lookingAt()).count();
  }

  /**
   * Types a command into the second shell and waits for its prompt to come back, as a participant
   * would before typing the next; a watch ({@code -w}) runs until Ctrl-C, as the texts say.
   */
  private void shell(String command) throws InterruptedException {
    try {
      typeAndWait(command);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n--- the shell:\n" + tmux.screen(1) + "\n--- the runner:\n" + tmux.screen(0), e);
    }
  }

  private void typeAndWait(String command) throws InterruptedException {
    long before = prompts();
    tmux.typeLiterally(1, command);
    if (command.matches(".*\\s-w(\\s.*)?")) {
      await("'" + command + "' shows something").atMost(STEP).until(() -> tmux.visible(1).lines()
          .dropWhile(l -> !l.contains(command)).skip(1).anyMatch(l -> !l.isBlank()));
      Thread.sleep(1000); // look at it a moment
      tmux.keys(1, "C-c");
    }
    await("'" + command + "' finished").atMost(command.contains("scripts/workshop ") ? LAUNCHER : STEP)
        .until(() -> prompts() > before);
  }

  /** The line of {@code screen} that contains {@code text}, without its indentation. */
  private static String screenLine(String screen, String text) {
    return screen.lines().filter(l -> l.contains(text)).findFirst().orElseThrow(() -> new AssertionError(text + " in\n" + screen)).strip();
  }

  /** A command the end screen lists, without its explanation. */
  private static String printed(String screen, String text) {
    String line = screenLine(screen, text);
    return line.contains("   (") ? line.substring(0, line.indexOf("   (")) : line;
  }

  /** kubectl from the test itself (not the participant's shell), for what the test checks. */
  private String kubectl(Path data, String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "kubectl";
    cmd[1] = "--kubeconfig=" + data.resolve("kubeconfig");
    cmd[2] = "--cache-dir=" + tmp.resolve("test-kube-cache");
    System.arraycopy(args, 0, cmd, 3, args.length);
    return new Cli(tmp.resolve("home"), tmp).run(tmp, cmd).out().strip();
  }

  @Test
  void everyStepPassesFromWhatTheScreenShowsInAnEmptyShell() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is installed");
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    // the participant's own machine: git knows who they are
    Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = Pat Participant\n\temail = pat@example.com\n");
    Cli cli = new Cli(home, tmp);
    Path data = tmp.resolve("my lab");
    StringBuilder run = new StringBuilder();
    for (String word : cli.workshop("run", "--cluster", "embedded", "--data-dir", data.toString())) {
      run.append(PrintedCommands.quote(word)).append(' ');
    }
    tmux = Tmux.start(cli, tmp, "participant", COLUMNS, ROWS);
    tmux.type(0, "export HOME=" + home + "; " + run + "; echo run-ended-with-$?");
    tmux.typeLiterally(1, "exec env -i HOME=" + home + " PATH=" + System.getenv("PATH") + " TERM=xterm bash --noprofile --norc");
    await("the empty shell's prompt").atMost(STEP).until(() -> prompts() > 0);
    shell("echo KUBECONFIG=[$KUBECONFIG]");

    for (int step = 0; step <= 8; step++) {
      String header = "──── step " + step + " ────";
      await("step " + step + " shown with its keys line").atMost(STEP).until(() -> {
        String screen = tmux.visible(0);
        int at = screen.lastIndexOf(header);
        return at >= 0 && screen.indexOf("(keys:", at) > 0;
      });
      String screen = tmux.visible(0);
      List<String> commands = ScreenCommands.of(screen, step);
      assertFalse(commands.isEmpty(), "step " + step + " shows commands:\n" + screen);
      for (String command : commands) {
        shell(command);
      }
      int done = step;
      await("step " + step + " done").atMost(STEP).until(() -> tmux.screen(0).contains("✔ step " + done + " done"));
    }

    tmux.awaitScreen("the run keeps the lab", "The lab keeps running until you press q", STEP);
    String end = tmux.screen(0);
    assertFalse(end.contains("solving it for you"), "no step was solved by the runner:\n" + end);
    assertTrue(end.lines().filter(l -> l.matches("0\\d-.*PASSED.*")).count() == 9, end);
    String status = printed(end, " status --data-dir ");

    // the lab still answers: the operator's commit comes down, kubectl reads the cluster, the printed status works
    shell("git pull -q && git log -1 --format='last: %an' && kubectl get deployment podinfo");
    String answers = tmux.visible(1);
    assertTrue(answers.contains("last: fluxcdbot") && answers.matches("(?s).*podinfo\\s+4/4.*"), answers);
    shell(status);
    assertTrue(tmux.visible(1).contains("Kustomization"), "the printed status command works:\n" + tmux.visible(1));

    // the instructor's loop, from the printed commands: a tag inside 6.5.x is committed and rolled out, one outside is not
    String inside = printed(end, " registry tag podinfo 6.5.9 ");
    shell(inside);
    assertTrue(tmux.visible(1).contains("published"), tmux.visible(1));
    String policy = "jsonpath={.status.latestRef.tag}";
    await("the operator takes 6.5.9").atMost(STEP).until(() -> kubectl(data, "-n", "flux-system", "get", "imagepolicy", "podinfo",
        "-o", policy).equals("6.5.9") && kubectl(data, "get", "deployment", "podinfo", "-o", "jsonpath={..image}").endsWith(":6.5.9"));
    String more = screenLine(tmux.screen(0), "(more about this step: ");
    shell(more.substring(more.indexOf(": ") + 2, more.length() - 1));
    java.util.regex.Matcher outside = Pattern.compile("(\\S+ registry tag podinfo 6\\.6\\.9 --data-dir (?:'[^']*'|\\S+))")
        .matcher(tmux.screen(1));
    assertTrue(outside.find(), "steps show 8 names the tag outside the range:\n" + tmux.screen(1));
    String scans = kubectl(data, "-n", "flux-system", "get", "imagerepository", "podinfo", "-o", "jsonpath={.status.lastScanResult.tagCount}");
    shell(outside.group(1));
    await("the registry scanned again").atMost(STEP).until(() -> !kubectl(data, "-n", "flux-system", "get", "imagerepository", "podinfo",
        "-o", "jsonpath={.status.lastScanResult.tagCount}").equals(scans));
    assertEquals("6.5.9", kubectl(data, "-n", "flux-system", "get", "imagepolicy", "podinfo", "-o", policy), "6.6.9 is outside 6.5.x");

    tmux.press("q");
    tmux.awaitScreen("the run ended", "run-ended-with-0", STEP);
    assertFalse(Files.exists(data.resolve("lab.json")), "the lab stopped when the participant quit");
    assertTrue(tmux.screen(1).contains("KUBECONFIG=[]"), "the second shell started without the lab's settings");
  }
}
