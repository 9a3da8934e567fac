package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.runner.StepStates;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workshop check [STEP]}: are the step's checks true on the running lab? */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check a step (or every step) on the running lab: exit 0 when its checks hold, 1 with the reasons otherwise.")
public final class CheckCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Parameters(arity = "0..1", paramLabel = "STEP", description = "The step's number. Default: every step.")
  Integer step;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Step> steps = TutorialLab.steps();
    Step chosen = step == null ? null : TutorialLab.step(steps, step);
    List<StepStates.State> states;
    try (TutorialContext context = TutorialLab.attach(dataDir.dataDir())) {
      if (chosen != null && chosen.available() && chosen.asksForAnAct() && !context.progress().of(chosen.id()).began()) {
        // what the step asks for counts from its beginning: checking it is the participant's way to begin it
        chosen.begin(context);
        out.println(Console.action("step " + chosen.id() + " had not begun on this lab: it begins now, and what it asks for "
            + "counts from now"));
      }
      states = StepStates.evaluate(chosen == null ? steps : List.of(chosen), context);
    }
    boolean allDone = true;
    for (StepStates.State s : states) {
      if ("unavailable".equals(s.state())) {
        out.println("— step " + s.step().label() + ": not available");
        continue;
      }
      out.println((s.done() ? Console.success("") : Console.failure("")) + "step " + s.step().label() + ": " + s.state());
      for (CheckResult r : s.done() ? List.<CheckResult>of() : s.results()) {
        out.println("    " + (r.passed() ? "✔ " : "✗ ") + r.check() + (r.passed() ? "" : "\n        expected: " + r.expected()
            + "\n        observed: " + r.observed() + (r.hint() == null ? "" : "\n        hint: " + r.hint())));
      }
      allDone &= s.done();
    }
    return allDone ? 0 : 1;
  }
}
