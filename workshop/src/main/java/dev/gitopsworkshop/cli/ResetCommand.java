package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.runner.StepStates;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workshop reset STEP}: back to the state before a step, in Git and in the cluster. */
@Command(name = "reset", mixinStandardHelpOptions = true,
    description = "Undo a step and every later one, in Git (new commits, history kept) and in the cluster, "
        + "so the step can be done again.")
public final class ResetCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Parameters(paramLabel = "STEP", description = "The step to go back to (its number).")
  int step;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<Step> steps = TutorialLab.steps();
    TutorialLab.step(steps, step);
    List<CheckResult> failing;
    try (TutorialContext context = TutorialLab.attach(dataDir.dataDir());
        AutoCloseable reports = RoomReports.attach(context.lab(), dataDir.dataDir(), context)) {
      failing = StepStates.reset(steps, step, context, line -> spec.commandLine().getErr().println(Console.action(line)),
          Duration.ofSeconds(60));
    }
    if (!failing.isEmpty()) {
      spec.commandLine().getErr().println(Console.failure("the steps before " + step + " do not hold again: " + failing.get(0)));
      return 1;
    }
    spec.commandLine().getErr().println(Console.success("back to the state before step " + step));
    return 0;
  }
}
