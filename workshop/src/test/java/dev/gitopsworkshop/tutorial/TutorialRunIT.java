package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workshop run --auto} as CI runs it: the packaged tool, a fresh lab, the real tutorial. */
class TutorialRunIT {
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

  @Test
  void aMalformedStepFileIsRefusedAtLoadTimeWithFileAndLine() throws Exception {
    Path content = BrokenContent.copy(tmp);
    BrokenContent.replace(content.resolve("steps/03-follow-the-repository.md"), "  - kubectlApply: {file: flux/workshop-sync.yaml}",
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
      assertTrue(second.err().contains("the data directory " + lab.dataDir().toAbsolutePath().normalize() + " is in use by 'up'"), second.err());
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
