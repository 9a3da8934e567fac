package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/** {@code workshop run --auto} as CI runs it: the packaged tool, a fresh lab, the real tutorial. */
class TutorialRunIT {
  /**
   * The step budget of a run meant to fail at a later step: the steps before it must not fail for
   * want of time on a loaded machine, nor the failing one stop before what it observes has settled.
   * The runs that wait out this budget run side by side.
   */
  static final String FAILING_RUN_BUDGET = "30";
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
  }

  @Test
  void runAutoPassesStepsZeroToEightAndReportsEachStep() throws Exception {
    Path report = tmp.resolve("r.xml");
    Cli.Result r = cli.run(tmp, cli.workshop("run", "--auto", "--cluster", "embedded", "--data-dir", tmp.resolve("lab").toString(),
        "--report", report.toString()));
    assertEquals(0, r.exitCode(), r.toString());
    String xml = Files.readString(report);
    assertTrue(xml.contains("tests=\"9\" failures=\"0\" errors=\"0\" skipped=\"0\""), xml);
    for (String slug : new String[] {"00-get-the-repository", "04-add-podinfo", "06-break-it", "07-scale-through-git", "08-automate-image-updates"}) {
      assertTrue(xml.contains("name=\"" + slug + ":"), slug + " in " + xml);
    }
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("08-automate-image-updates") && l.contains("PASSED")), r.out());
    assertTrue(Files.notExists(tmp.resolve("lab/lab.json")), "the lab it started is stopped again");
  }

  /** A copy of the project's content to break on purpose. */
  private Path content() throws IOException {
    Path root = tmp.resolve("content");
    for (String dir : new String[] {"steps", "examples", "flux"}) {
      Path from = Cli.projectRoot().resolve(dir);
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path p : walk.toList()) {
          Path to = root.resolve(dir).resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    return root;
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.contains(from), from + " in " + file);
    Files.writeString(file, text.replace(from, to));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aWrongPortInTheExampleStopsTheRunAtStepFourNamingTheCheck() throws Exception {
    Path content = content();
    replace(content.resolve("examples/podinfo-dep.yaml"), "containerPort: 9898", "containerPort: 3000");
    Cli.Result r = cli.run(tmp, cli.workshopWithContent(content, "run", "--auto", "--cluster", "embedded",
        "--data-dir", tmp.resolve("lab").toString(), "--step-timeout", FAILING_RUN_BUDGET));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("step 04-add-podinfo: Add podinfo through Git failed"), r.out());
    assertTrue(r.out().contains("containerPort} = 9898"), r.out());
    assertTrue(r.out().contains("expected: 9898") && r.out().contains("observed: 3000"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("05-watch-it-sync") && l.contains("SKIPPED")), r.out());
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void anImageThatDoesNotExistFailsToPullAndStopsTheRunAtStepFour() throws Exception {
    Path content = content();
    replace(content.resolve("examples/podinfo-dep.yaml"), "podinfo:6.5.0", "podinfo:6.5.99");
    Cli.Result r = cli.run(tmp, cli.workshopWithContent(content, "run", "--auto", "--cluster", "embedded",
        "--data-dir", tmp.resolve("lab").toString(), "--step-timeout", FAILING_RUN_BUDGET));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("step 04-add-podinfo: Add podinfo through Git failed"), r.out());
    assertTrue(r.out().contains("observed: 0/1 available"), r.out());
    assertTrue(r.out().contains("ErrImagePull") || r.out().contains("ImagePullBackOff"), r.out());
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aCheckThatCannotHoldFailsLoudlyWithExpectedAndObserved() throws Exception {
    Path content = content();
    replace(content.resolve("steps/07-scale-through-git.md"), "name: podinfo, replicas: 4}", "name: podinfo, replicas: 5}");
    Cli.Result r = cli.run(tmp, cli.workshopWithContent(content, "run", "--auto", "--cluster", "embedded",
        "--data-dir", tmp.resolve("lab").toString(), "--from", "0", "--to", "7", "--step-timeout", FAILING_RUN_BUDGET));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("check: Deployment default/podinfo has 5 available replicas"), r.out());
    assertTrue(r.out().contains("expected: 5/5 available") && r.out().contains("observed: 4/4 available"), r.out());
  }

  @Test
  void aMalformedStepFileIsRefusedAtLoadTimeWithFileAndLine() throws Exception {
    Path content = content();
    replace(content.resolve("steps/03-follow-the-repository.md"), "  - kubectlApply: {file: flux/workshop-sync.yaml}",
        "  - kubectlAply: {file: flux/workshop-sync.yaml}");
    Cli.Result r = cli.run(tmp, cli.workshopWithContent(content, "run", "--auto", "--cluster", "embedded",
        "--data-dir", tmp.resolve("lab").toString()));
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("03-follow-the-repository.md:10: unknown action 'kubectlAply'"), r.err());
    assertTrue(Files.notExists(tmp.resolve("lab/lab.json")), "nothing was started");
  }

  @Test
  void runUsesALabAlreadyRunningWithUp() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli.Result r = cli.run(tmp, cli.workshop("run", "--auto", "--to", "4", "--data-dir", lab.dataDir().toString()));
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.err().contains("using the lab already running"), r.err());
      assertEquals("1", lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.status.availableReplicas}").ok().out());
      Cli.Result second = cli.run(tmp, cli.workshop("up", "--cluster", "embedded", "--data-dir", lab.dataDir().toString()));
      assertEquals(1, second.exitCode(), second.toString());
      assertTrue(second.err().contains("a lab is already running in " + lab.dataDir().toAbsolutePath().normalize()), second.err());
    }
  }

  @Test
  void startingAtALaterStepOnAFreshLabSaysWhichStepsAreNotDone() throws Exception {
    Cli.Result r = cli.run(tmp, cli.workshop("run", "--auto", "--cluster", "embedded", "--from", "4",
        "--data-dir", tmp.resolve("lab").toString()));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("steps 0, 1, 2, 3 before step 4 are not done on this lab"), r.err());
    assertTrue(r.err().contains("run --auto --to 3"), r.err());
    assertTrue(Files.notExists(tmp.resolve("lab/lab.json")), "the lab it started is stopped again");
  }

  @Test
  void guidedModeIsRefusedWithAPointerToAuto() throws Exception {
    Cli.Result r = cli.run(tmp, cli.workshop("run", "--data-dir", tmp.resolve("lab").toString()));
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--auto"), r.err());
  }
}
