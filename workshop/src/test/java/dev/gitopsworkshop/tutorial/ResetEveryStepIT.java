package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.cli.CommandLineFactory;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a full run, {@code reset N} works for every step N, and {@code run --auto} passes again
 * from there; a run after a demo pushed from its own clone (the workspace is behind main) passes
 * too. One lab ({@code up}, a process) for all of it, as a participant keeps one; the resets and
 * runs are the tool's own command line in this JVM (warm, instead of a cold start each), the first
 * run and the demo are processes.
 */
class ResetEveryStepIT {
  @TempDir Path tmp;

  /** The tool's command line, run in this JVM, with its output captured. */
  private static Cli.Result workshop(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Cli.Result(code, out.toString(), err.toString());
  }

  private static void reset(int step, String dir) {
    Cli.Result reset = workshop("reset", String.valueOf(step), dir);
    assertEquals(0, reset.exitCode(), "reset " + step + ": " + reset);
    assertTrue(reset.err().contains("back to the state before step " + step), reset.err());
  }

  @Test
  void everyStepCanBeResetAfterAFullRunAndTheTutorialPassesAgain() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli cli = lab.cli();
      String dir = "--data-dir=" + lab.dataDir();
      cli.run(tmp, cli.workshop("run", "--auto", dir)).ok();

      // deep, from the full run: everything from step 4 on undone at once, then done again
      reset(4, dir);
      Cli.Result again = workshop("run", "--auto", "--from", "4", dir);
      assertEquals(0, again.exitCode(), "run --auto --from 4 after reset 4: " + again);

      // every step, latest first: each reset undoes what the one before left
      for (int step = 8; step >= 0; step--) {
        reset(step, dir);
      }
      Cli.Result fromScratch = workshop("run", "--auto", dir);
      assertEquals(0, fromScratch.exitCode(), "run --auto after reset 0: " + fromScratch);

      // a demo pushes from its own clone: the workspace is behind main, and the run brings it up to date
      reset(5, dir);
      cli.run(tmp, cli.workshop("demo", "rollback", dir)).ok();
      Cli.Result afterDemo = cli.run(tmp, cli.workshop("run", "--auto", "--from", "5", dir));
      assertEquals(0, afterDemo.exitCode(), afterDemo.toString());
      assertTrue(afterDemo.err().contains("git pull"), afterDemo.err());
    }
  }
}
