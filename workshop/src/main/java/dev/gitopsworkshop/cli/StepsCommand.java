package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.state.RunningLab;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.runner.StepStates;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code workshop steps}: the tutorial's steps, and with a running lab, which are done. */
@Command(name = "steps", mixinStandardHelpOptions = true, subcommands = StepsShowCommand.class,
    description = "List the tutorial's steps; with a lab running in the data dir, whether each is done "
        + "('steps show N' prints a step's whole text).")
public final class StepsCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Step> steps = TutorialLab.steps();
    boolean running = RunningLab.find(dataDir.dataDir()).isPresent();
    out.printf("%-4s %-12s %s%n", "STEP", "STATE", "TITLE");
    if (running) {
      try (TutorialContext context = TutorialLab.attach(dataDir.dataDir())) {
        for (StepStates.State s : StepStates.evaluate(steps, context)) {
          out.printf("%-4d %-12s %s%n", s.step().id(), s.state(), s.step().title());
        }
      }
    } else {
      for (Step s : steps) {
        out.printf("%-4d %-12s %s%n", s.id(), s.available() ? "-" : "unavailable", s.title());
      }
      spec.commandLine().getErr().println("(no lab running in " + dataDir.dataDir().root() + ": states unknown)");
    }
    return 0;
  }
}
