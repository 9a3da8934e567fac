package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a full run, {@code reset N} works for every step N, and {@code run --auto} passes again
 * from there; a run after a demo pushed from its own clone (the workspace is behind main) passes
 * too. One lab ({@code up}) for all of it, as a participant keeps one.
 */
class ResetEveryStepIT {
  @TempDir Path tmp;

  @Test
  void afterAFullRunEveryStepCanBeResetAndRunAgain() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli cli = lab.cli();
      String dir = "--data-dir=" + lab.dataDir();
      cli.run(tmp, cli.workshop("run", "--auto", dir)).ok();
      for (int step = 8; step >= 0; step--) {
        Cli.Result reset = cli.run(tmp, cli.workshop("reset", String.valueOf(step), dir));
        assertEquals(0, reset.exitCode(), "reset " + step + " after a full run: " + reset);
        assertTrue(reset.err().contains("back to the state before step " + step), reset.err());
        Cli.Result again = cli.run(tmp, cli.workshop("run", "--auto", "--from", String.valueOf(step), dir));
        assertEquals(0, again.exitCode(), "run --auto --from " + step + " after reset " + step + ": " + again);
      }

      // a demo pushes from its own clone: the workspace is behind main, and the run brings it up to date
      cli.run(tmp, cli.workshop("reset", "5", dir)).ok();
      cli.run(tmp, cli.workshop("demo", "rollback", dir)).ok();
      Cli.Result afterDemo = cli.run(tmp, cli.workshop("run", "--auto", "--from", "5", dir));
      assertEquals(0, afterDemo.exitCode(), afterDemo.toString());
      assertTrue(afterDemo.err().contains("git pull"), afterDemo.err());
    }
  }
}
