package dev.gitopsworkshop.tutorial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check}, {@code steps} and {@code reset} from another terminal, against a lab started with {@code up}. */
class TutorialCommandsIT {
  @TempDir Path tmp;

  @Test
  void checkReportsTheLabsStateAndResetSixThenStepSixAgainPasses() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli cli = lab.cli();
      String dir = "--data-dir=" + lab.dataDir();
      assertEquals(1, cli.run(tmp, cli.workshop("check", "4", dir)).exitCode(), "nothing done yet");
      cli.run(tmp, cli.workshop("run", "--auto", dir)).ok();

      cli.run(tmp, cli.workshop("check", dir)).ok();
      cli.run(tmp, cli.workshop("check", "4", dir)).ok(); // done, though step 7 changed its one replica to four
      String steps = cli.run(tmp, cli.workshop("steps", dir)).ok().out();
      assertTrue(steps.lines().filter(l -> l.matches("[0-8]\\s+done\\s+.*")).count() == 9, steps);

      cli.run(tmp, cli.workshop("reset", "6", dir)).ok();
      Cli.Result six = cli.run(tmp, cli.workshop("check", "6", dir));
      assertEquals(1, six.exitCode(), "nobody deleted podinfo since step 6 began again: " + six);
      assertTrue(six.out().contains("observed: the same uid"), six.out());
      Cli.Result seven = cli.run(tmp, cli.workshop("check", "7", dir));
      assertEquals(1, seven.exitCode(), seven.toString());
      assertTrue(seven.out().contains("expected: 4/4 available"), seven.out());

      Cli.Result again = cli.run(tmp, cli.workshop("run", "--auto", "--from", "6", "--to", "6", dir));
      assertEquals(0, again.exitCode(), again.toString());
      cli.run(tmp, cli.workshop("check", "6", dir)).ok();

      cli.run(tmp, cli.workshop("reset", "5", dir)).ok();
      Cli.Result five = cli.run(tmp, cli.workshop("check", "5", dir));
      assertEquals(1, five.exitCode(), "step 5 asks for a change pushed after it began: " + five);
      assertTrue(five.out().contains("observed: as it was when the step began"), five.out());

      cli.run(tmp, cli.workshop("reset", "4", dir)).ok();
      assertTrue(lab.kubectl("get", "deployment", "podinfo").err().contains("NotFound"), "the operator pruned podinfo");
      Cli.Result four = cli.run(tmp, cli.workshop("check", "4", dir));
      assertEquals(1, four.exitCode(), four.toString());
      assertTrue(four.out().contains("deploy/kubernetes/podinfo-dep.yaml is on main") && four.out().contains("observed: not on main"), four.out());
      cli.run(tmp, cli.workshop("check", "3", dir)).ok();
    }
  }

  @Test
  void checkReportsTheLiveStateABrokenPushIsNotDoneAndAnActCountsFromItsStep() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli cli = lab.cli();
      String dir = "--data-dir=" + lab.dataDir();
      Cli.Result never = cli.run(tmp, cli.workshop("check", "6", dir));
      assertEquals(1, never.exitCode(), never.toString());
      assertTrue(never.out().contains("step 6 had not begun on this lab: it begins now"), never.out());

      cli.run(tmp, cli.workshop("run", "--auto", dir)).ok();
      cli.run(tmp, cli.workshop("check", dir)).ok();

      // a broken push: the operator cannot apply main, so the steps that rest on the sync are not done
      Path clone = lab.cloneWorkshop(tmp.resolve("clone"));
      Files.writeString(clone.resolve("deploy/kubernetes/broken.yaml"), "kind: [this is not\n");
      cli.git(clone, "add", ".").ok();
      cli.git(clone, "commit", "-q", "-m", "Break the sync").ok();
      cli.git(clone, "push", "-q").ok();
      await("the Kustomization is not Ready").atMost(Duration.ofSeconds(60)).until(() -> lab.kubectl("-n", "flux-system", "get",
          "kustomization", "workshop", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("False"));
      Cli.Result broken = cli.run(tmp, cli.workshop("check", dir));
      assertEquals(1, broken.exitCode(), broken.toString());
      for (String step : new String[] {"03-follow-the-repository", "04-add-podinfo", "05-watch-it-sync", "06-break-it",
          "07-scale-through-git", "08-automate-image-updates"}) {
        assertTrue(broken.out().contains("step " + step + ": ") && broken.out().contains("✗ step " + step), step + ":\n" + broken.out());
      }
      assertTrue(broken.out().contains("Ready=False"), broken.out());
      String steps = cli.run(tmp, cli.workshop("steps", dir)).ok().out();
      assertTrue(steps.lines().anyMatch(l -> l.matches("3\\s+pending\\s+.*")), steps);

      cli.git(clone, "rm", "-q", "deploy/kubernetes/broken.yaml").ok();
      cli.git(clone, "commit", "-q", "-m", "Mend the sync").ok();
      cli.git(clone, "push", "-q").ok();
      await("every step done again once the operator applies main").atMost(Duration.ofSeconds(60))
          .until(() -> cli.run(tmp, cli.workshop("check", dir)).exitCode() == 0);
    }
  }

  @Test
  void checkWithoutALabOrWithAnUnknownStepSaysWhatToDo() throws Exception {
    java.nio.file.Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Cli.Result none = cli.run(tmp, cli.workshop("check", "--data-dir=" + tmp.resolve("nolab")));
    assertEquals(1, none.exitCode());
    assertTrue(none.err().contains("no lab is running") && none.err().contains("workshop up --data-dir " + tmp.resolve("nolab")), none.err());
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli.Result bad = cli.run(tmp, cli.workshop("check", "12", "--data-dir=" + lab.dataDir()));
      assertEquals(2, bad.exitCode());
      assertTrue(bad.err().contains("there is no step 12") && bad.err().contains("0 to 8"), bad.err());
    }
  }

  @Test
  void whatUpPrintsWorksWhenPastedAndItsEndsSayWhatToDo() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli cli = lab.cli();
      String dir = "--data-dir=" + lab.dataDir();
      // up writes lab.json a moment before it prints its lines
      await("up's lines printed").atMost(Duration.ofSeconds(30)).until(() -> lab.output().out().contains("git clone "));
      String printed = lab.output().out();
      String export = printed.lines().filter(l -> l.startsWith("export KUBECONFIG=")).findFirst().orElseThrow();
      String clone = printed.lines().filter(l -> l.startsWith("git clone ")).findFirst().orElseThrow();
      cli.run(tmp, "bash", "-c", clone).ok();
      cli.run(tmp, cli.workshop("check", "0", dir)).ok(); // up's clone is where the tutorial looks
      Cli.Result kubectl = cli.run(tmp, "bash", "-c", export + " && kubectl --cache-dir " + tmp.resolve("kube-cache") + " get namespaces");
      assertTrue(kubectl.ok().out().contains("default"), kubectl.toString());
      String env = cli.run(tmp, cli.workshop("env", dir)).ok().out();
      Cli.Result evaluated = cli.run(tmp, "bash", "-c", env + "\nkubectl --cache-dir " + tmp.resolve("kube-cache")
          + " get namespaces && git ls-remote \"$WORKSHOP_GIT_URL\"");
      assertEquals(0, evaluated.exitCode(), "env's lines, evaluated, point kubectl and git at the lab: " + evaluated);

      Cli.Result second = cli.run(tmp, cli.workshop("up", "--cluster=embedded", dir));
      assertEquals(1, second.exitCode(), second.toString());
      assertTrue(second.err().contains("the data directory " + lab.dataDir() + " is in use by"), second.err());
      assertTrue(second.err().contains("workshop status --data-dir " + lab.dataDir()), second.err());

      Cli.Result stopped = lab.stop();
      assertTrue(stopped.err().contains("stopped: the lab is down") && stopped.err().strip().endsWith("up --data-dir " + lab.dataDir()),
          "the command to start it again ends the line, bare, to be copied: " + stopped.err());
    }
  }
}
