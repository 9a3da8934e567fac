package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.RunningLab;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.runner.StepText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workshop steps show N}: a step's whole text, with the running lab's values filled in. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print a step's whole text: what the guided run shows, and the background that does not fit its screen. "
        + "With a lab running in the data dir, its commands carry the lab's values.")
public final class StepsShowCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDirOption;

  @Parameters(paramLabel = "STEP", description = "The step's number.")
  int step;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Step chosen = TutorialLab.step(TutorialLab.steps(), step);
    DataDir dir = dataDirOption.dataDir();
    String text = chosen.fullText();
    PrintWriter out = spec.commandLine().getOut();
    if (RunningLab.find(dir).isPresent()) {
      try (TutorialContext context = new TutorialContext(RunningLab.require(dir), dir)) {
        text = context.fill(text);
      }
    } else {
      spec.commandLine().getErr().println("(no lab running in " + dir.root() + ": the {{...}} values are the lab's once one runs)");
    }
    out.println("──── step " + chosen.id() + " ────");
    out.print(StepText.render(text, Ansi.AUTO));
    out.flush();
    return 0;
  }
}
