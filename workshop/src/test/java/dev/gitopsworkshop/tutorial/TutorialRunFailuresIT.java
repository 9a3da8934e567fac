package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code workshop run --auto} on content broken on purpose: the run stops at the step that cannot
 * pass, naming the check, what it expected and what it observed. Every step gets
 * {@value #FAILING_RUN_BUDGET} s (3 to 5 s let a loaded machine fail an earlier step, or stop the
 * failing one before what it observes had settled); the three runs wait out that budget side by
 * side, each with its own lab, and no other test class runs meanwhile.
 */
@Execution(ExecutionMode.CONCURRENT)
class TutorialRunFailuresIT {
  static final String FAILING_RUN_BUDGET = "30";
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
  }

  /** The run, to its end: the steps, then the failing one's whole budget (longer than Cli.run's two minutes allow on a busy machine). */
  private Cli.Result runToItsEnd(String... command) throws IOException {
    try (Background run = cli.start(tmp, Map.of(), command)) {
      return run.waitFor(Duration.ofMinutes(4));
    }
  }

  @Test
  void aWrongPortInTheExampleStopsTheRunAtStepFourNamingTheCheck() throws Exception {
    Path content = BrokenContent.copy(tmp);
    BrokenContent.replace(content.resolve("examples/podinfo-dep.yaml"), "containerPort: 9898", "containerPort: 3000");
    Cli.Result r = runToItsEnd(cli.workshopWithContent(content, "run", "--auto", "--cluster", "embedded",
        "--data-dir", tmp.resolve("lab").toString(), "--step-timeout", FAILING_RUN_BUDGET));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("step 04-add-podinfo: Add podinfo through Git failed"), r.out());
    assertTrue(r.out().contains("containerPort} = 9898"), r.out());
    assertTrue(r.out().contains("expected: 9898") && r.out().contains("observed: 3000"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("05-watch-it-sync") && l.contains("SKIPPED")), r.out());
  }

  @Test
  void anImageThatDoesNotExistFailsToPullAndStopsTheRunAtStepFour() throws Exception {
    Path content = BrokenContent.copy(tmp);
    BrokenContent.replace(content.resolve("examples/podinfo-dep.yaml"), "podinfo:6.5.0", "podinfo:6.5.99");
    Cli.Result r = runToItsEnd(cli.workshopWithContent(content, "run", "--auto", "--cluster", "embedded",
        "--data-dir", tmp.resolve("lab").toString(), "--step-timeout", FAILING_RUN_BUDGET));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("step 04-add-podinfo: Add podinfo through Git failed"), r.out());
    assertTrue(r.out().contains("observed: 0/1 available"), r.out());
    assertTrue(r.out().contains("ErrImagePull") || r.out().contains("ImagePullBackOff"), r.out());
  }

  @Test
  void aCheckThatCannotHoldFailsLoudlyWithExpectedAndObserved() throws Exception {
    Path content = BrokenContent.copy(tmp);
    BrokenContent.replace(content.resolve("steps/07-scale-through-git.md"), "name: podinfo, replicas: 4}", "name: podinfo, replicas: 5}");
    Cli.Result r = runToItsEnd(cli.workshopWithContent(content, "run", "--auto", "--cluster", "embedded",
        "--data-dir", tmp.resolve("lab").toString(), "--from", "0", "--to", "7", "--step-timeout", FAILING_RUN_BUDGET));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("check: Deployment default/podinfo has 5 available replicas"), r.out());
    assertTrue(r.out().contains("expected: 5/5 available") && r.out().contains("observed: 4/4 available"), r.out());
  }

}
