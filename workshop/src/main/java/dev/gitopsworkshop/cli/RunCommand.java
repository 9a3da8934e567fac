package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.lab.ClusterChoice;
import dev.gitopsworkshop.lab.Lab;
import dev.gitopsworkshop.projector.Projector;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.state.RunningLab;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.model.StepResult;
import dev.gitopsworkshop.tutorial.report.JUnitReport;
import dev.gitopsworkshop.tutorial.report.Summary;
import dev.gitopsworkshop.tutorial.runner.AutoRunner;
import dev.gitopsworkshop.tutorial.runner.GuidedRunner;
import dev.gitopsworkshop.tutorial.runner.Keys;
import dev.gitopsworkshop.tutorial.runner.StepStates;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop run}: the tutorial, step by step, on a lab it starts or finds running. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the tutorial. It starts a lab (or uses the one 'up' runs in the same data dir) and checks "
          + "each step on the live system.",
      "Without --auto it is guided: it shows each step, watches you do it with git and kubectl in "
          + "another terminal, moves on once the step's checks hold, and shows a hint past the step's "
          + "time budget (keys: s solve it for me, r reset this step, q quit).",
      "With --auto it solves every step itself, as a participant would (git clone, commit, push, "
          + "kubectl apply), waits for the checks, prints a summary, and exits 0 when all passed, "
          + "1 at the first step that did not."
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDirOption;

  @Option(names = "--auto", description = "Solve and check every step without asking (for CI and rehearsals).")
  boolean auto;

  @Mixin ClusterOptions clusterOptions;

  @Option(names = "--from", paramLabel = "STEP", description = "First step to run (its number). Default: 0.")
  Integer from;

  @Option(names = "--to", paramLabel = "STEP", description = "Last step to run (its number). Default: the last one.")
  Integer to;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a JUnit XML report, one testcase per step.")
  Path report;

  @Option(names = "--nudge", paramLabel = "on|off", defaultValue = "on", arity = "1", converter = OnOff.class,
      description = "Ask Flux to reconcile at once on a push or on drift (default: on), when a new lab is started.")
  boolean nudge;

  @Option(names = "--step-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "With --auto, how long a step's checks may take to hold (default: ${DEFAULT-VALUE}).")
  int stepTimeout;

  @Option(names = "--budget-scale", paramLabel = "FACTOR", defaultValue = "1", hidden = true,
      description = "Multiply the steps' time budgets (tests and rehearsals show hints sooner).")
  double budgetScale;

  @Option(names = "--steps", paramLabel = "DIR", hidden = true, description = "Another steps folder (for testing a tutorial).")
  Path stepsDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ClusterChoice clusterChoice = clusterOptions.choice();
    List<Step> all = StepLoader.load(stepsDir != null ? stepsDir : ProjectContent.locate().steps());
    List<Step> steps = select(all);
    if (!auto && !Keys.terminalAttached()) {
      throw WorkshopException.usage(
          "the guided run needs a terminal to show the steps and read your keys, and this has none",
          "use 'scripts/workshop run --auto' to solve and check every step without one (as CI does)");
    }
    DataDir dir = dataDirOption.dataDir();
    Optional<LabFile> running = RunningLab.find(dir);
    Lab started = null;
    Thread stopOnSignal = null;
    LabFile lab;
    if (running.isPresent()) {
      lab = running.get();
      boolean otherMode = spec.commandLine().getParseResult().hasMatchedOption("--cluster")
          && !clusterOptions.mode().label().equals(lab.clusterMode());
      err.println(Console.action("using the lab already running in " + dir.root() + " (" + lab.clusterMode() + " cluster"
          + (otherMode ? "; --cluster " + clusterOptions.mode().label() + " is for a new lab: stop this one first" : "") + ")"));
    } else {
      started = Lab.start(new Lab.Spec(dir, clusterOptions.mode(), "127.0.0.1", null, 100L * 1024 * 1024, null, 150, nudge,
          clusterChoice),
          "run", line -> err.println(Console.action(line)));
      lab = LabFile.read(dir);
      stopOnSignal = new Thread(started::close, "stop-lab");
      Runtime.getRuntime().addShutdownHook(stopOnSignal);
      err.println(Console.success("lab ready: " + lab.clusterMode() + " cluster, Git server at " + lab.gitUrl()));
    }
    String console = lab.get("console", "url");
    if (console != null) {
      err.println(Console.action("projector view for the room: " + Projector.url(console)));
    }
    try (TutorialContext context = new TutorialContext(lab, dir).requireAnswering()) {
      if (from != null) {
        StepStates.requireDoneBefore(all, from, context);
      }
      List<StepResult> results = auto
          ? new AutoRunner(context, Duration.ofSeconds(stepTimeout), line -> {
            err.println(line.startsWith("  ") ? "  " + Console.action(line.strip()) : Console.bold(line));
            err.flush();
          }).run(steps)
          : new GuidedRunner(context, spec.commandLine().getOut(), budgetScale, System.in).run(steps);
      printSummary(results);
      if (report != null) {
        JUnitReport.write(report, results);
        err.println(Console.success("report written to " + report));
      }
      return results.stream().anyMatch(r -> r.outcome() == StepResult.Outcome.FAILED) ? 1 : 0;
    } finally {
      if (started != null && stopOnSignal != null && stillRunning(stopOnSignal)) {
        started.close();
      }
    }
  }

  /** False when the JVM is already shutting down (Ctrl-C): then the hook stops the lab it started. */
  private static boolean stillRunning(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private List<Step> select(List<Step> all) {
    int first = from == null ? Integer.MIN_VALUE : from;
    int last = to == null ? Integer.MAX_VALUE : to;
    List<Step> chosen = all.stream().filter(s -> s.id() >= first && s.id() <= last).toList();
    if (chosen.isEmpty()) {
      throw WorkshopException.usage("no step between " + (from == null ? "the first" : from) + " and " + (to == null ? "the last" : to),
          "the steps are numbered " + all.get(0).id() + " to " + all.get(all.size() - 1).id());
    }
    return chosen;
  }

  private void printSummary(List<StepResult> results) {
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.print(Summary.render(results));
    out.flush();
  }
}
