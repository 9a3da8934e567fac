package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.projector.Projector;
import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.runner.StepStates;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What {@code run} says around the steps: a lab coming back, what to try at the end, how to go on after Ctrl-C. */
final class RunMessages {
  private RunMessages() {}

  /** A lab started again on a new cluster: waits (and says so) until Flux has brought back what the done steps made. */
  static void awaitRestored(PrintWriter err, DataDir dir, List<Step> all, TutorialContext context) throws InterruptedException {
    if (context.progress().done().isEmpty()) {
      return;
    }
    err.println(Console.waiting("Flux brings back from Git what the done steps of this data dir made..."));
    err.flush();
    StepStates.Restored back = StepStates.awaitRestored(all, context, Duration.ofSeconds(60));
    if (back != null && back.pending().isEmpty()) {
      err.println(Console.success(String.format(Locale.ROOT, "the lab is back where this data dir left it (%.1f s)",
          back.took().toMillis() / 1000.0)));
    } else if (back != null) {
      err.println(Console.failure("steps " + StepStates.ranges(back.pending()) + " were done here before and are not again yet; "
          + "see '" + PrintedCommands.workshop(dir, "check") + "'"));
    }
    err.flush();
  }

  static int lastId(List<Step> all) {
    return all.get(all.size() - 1).id();
  }

  /** What to try once the tutorial is done, as commands for the participant's second terminal. */
  static List<String> whatNext(DataDir dir, LabFile lab) {
    List<String> next = new ArrayList<>();
    next.add(PrintedCommands.workshopAnywhere(dir, "status") + "   (the lab at a glance)");
    next.add(PrintedCommands.workshopAnywhere(dir, "demo drift") + "   (change podinfo behind Git's back; Flux heals it)");
    next.add(PrintedCommands.workshopAnywhere(dir, "demo rollback") + "   (a bad release, found and reverted through Git)");
    if (lab.get("registry", "url") != null) {
      next.add(PrintedCommands.workshopAnywhere(dir, "registry tag podinfo 6.5.9") + "   (a new release: the operator commits it)");
    }
    String console = lab.get("console", "url");
    if (console != null) {
      next.add("projector view: " + Projector.url(console));
    }
    return next;
  }

  /** Ctrl-C (or SIGTERM): says what stopped and how to go on, as the JVM exits. */
  static void saySignalled(PrintWriter err, DataDir dir, boolean labStopped, int lastId) {
    Optional<CurrentStep> step = CurrentStep.read(dir);
    String goOn = step.filter(s -> s.state() != CurrentStep.State.DONE).map(s -> s.id())
        .or(() -> step.map(s -> s.id() + 1))
        .filter(id -> id <= lastId)
        .map(id -> "to go on from step " + id + ": " + PrintedCommands.workshop(dir, "run --from " + id))
        .orElse("to start again: " + PrintedCommands.workshop(dir, "run"));
    err.println();
    // the command last and bare: copied from the screen, it runs as it is
    err.println(Console.action("stopped" + step.map(s -> " at step " + s.id()).orElse("") + ": "
        + (labStopped ? "the lab this run started is stopped" : "the lab keeps running (its 'up' owns it)")
        + "; the data dir keeps your clone and the Git history; " + goOn));
    err.flush();
  }

}
