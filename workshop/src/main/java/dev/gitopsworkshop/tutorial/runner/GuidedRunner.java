package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.events.LabEvents;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Help.Ansi;

/**
 * The participant's run: each step's text, then the runner watches the lab (cluster watches and
 * Git push events, with a slow safety re-check) and moves on by itself once the step's checks
 * hold. Past the step's budget it shows a hint. Keys: s solves the step, r resets it, q quits,
 * ? explains. On a lab where steps are done already it says so first and lets the participant go
 * on or start over; after the last step it can keep the lab running until the participant quits.
 */
public final class GuidedRunner {
  private static final Logger LOG = LoggerFactory.getLogger(GuidedRunner.class);
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private final TutorialContext context;
  private final PrintWriter out;
  private final double budgetScale;
  private final InputStream keysIn;
  private final List<Step> all;

  /** What the participant can do once every step is done, while this run keeps the lab running. */
  public record Ending(List<String> whatNext) {}

  /**
   * @param all every step of the tutorial (starting over undoes them all)
   * @param budgetScale multiplies the steps' budgets (rehearsals and tests show hints sooner)
   * @param keysIn the participant's terminal (its mode is switched to single keys for the run)
   */
  public GuidedRunner(TutorialContext context, List<Step> all, PrintWriter out, double budgetScale, InputStream keysIn) {
    this.context = context;
    this.all = all;
    this.out = out;
    this.budgetScale = budgetScale;
    this.keysIn = keysIn;
  }

  /**
   * Runs {@code steps}, hands the results to {@code summary}, then, with an {@code ending} and every
   * step passed, keeps going (the lab with it) until the participant presses q.
   */
  public List<StepResult> run(List<Step> steps, Consumer<List<StepResult>> summary, Ending ending) throws InterruptedException {
    Set<Check.Kind> kinds = new LinkedHashSet<>();
    steps.forEach(s -> kinds.addAll(s.watches()));
    List<StepResult> results = new ArrayList<>();
    try (LabEvents events = new LabEvents(context, kinds); Keys keys = new Keys(keysIn, events::wake)) {
      if (steps.stream().noneMatch(s -> s.body().contains("{{kubeconfig}}"))) {
        // the step that shows it is not part of this run: kubectl in a new terminal still needs it
        out.println();
        out.println("In your second terminal, kubectl needs to know the lab:");
        out.println(StepText.render("```\n" + context.fill("export KUBECONFIG={{kubeconfig}}") + "\n```\n", Ansi.AUTO)
            .stripTrailing());
        out.flush();
      }
      int first = firstToRun(steps, keys);
      boolean quit = first < 0;
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        if (quit) {
          results.add(StepResult.skipped(step, "the participant quit"));
        } else if (i < first) {
          results.add(StepResult.skipped(step, "already done on this lab"));
        } else if (!step.available()) {
          out.println();
          out.println("— step " + step.label() + ": not available (" + step.unavailable() + ")");
          results.add(StepResult.skipped(step, step.unavailable()));
        } else {
          context.reportStep(step, CurrentStep.State.IN_PROGRESS);
          StepResult r = new GuidedStep(step, context, out, events, keys, budgetScale).run();
          boolean passed = r.outcome() == StepResult.Outcome.PASSED;
          context.reportStep(step, passed ? CurrentStep.State.DONE
              : r.outcome() == StepResult.Outcome.SKIPPED ? CurrentStep.State.SKIPPED : CurrentStep.State.FAILED);
          if (passed) {
            context.progress().done(step.id());
          }
          results.add(r);
          quit = !passed;
        }
      }
      summary.accept(results);
      if (ending != null && !quit) {
        holdUntilQuit(ending, keys);
      }
    }
    out.flush();
    return results;
  }

  /**
   * The index of the first step to show: 0 on a lab where none is done; otherwise the participant
   * chooses to go on after the done ones or to start over (-1: quit).
   */
  private int firstToRun(List<Step> steps, Keys keys) throws InterruptedException {
    List<StepStates.State> states;
    if (context.progress().exists()) {
      out.println("◎ looking at what is done on this lab already...");
      out.flush();
      states = StepStates.settled(steps, context, SETTLE);
    } else {
      states = StepStates.evaluate(steps, context);
    }
    List<Integer> done = StepStates.doneIds(states);
    if (done.isEmpty()) {
      return 0;
    }
    int next = 0;
    while (next < states.size() && !states.get(next).pending()) {
      next++;
    }
    Step first = steps.get(0);
    out.println();
    out.println((done.size() == 1 ? "Step " + done.get(0) + " is" : "Steps " + StepStates.ranges(done) + " are") + " done on this lab already.");
    out.println(next < steps.size()
        ? "  Enter: go on with step " + steps.get(next).id() + " (" + steps.get(next).title() + ")"
        : "  Enter: go on (every step is done: the lab is yours to try things)");
    out.println("  r:     start over from step " + first.id() + " (undo the steps in Git and in the cluster, as '"
        + context.fill("{{workshop reset " + first.id() + "}}") + "' does)");
    out.println("  q:     quit");
    out.flush();
    while (true) {
      Character key = keys.next(60_000);
      if (key == null) {
        continue;
      }
      switch (Character.toLowerCase(key)) {
        case '\n', '\r' -> {
          return next;
        }
        case 'r' -> {
          return startOver(first) ? 0 : -1;
        }
        case 'q' -> {
          return -1;
        }
        default -> out.println("  (Enter, r or q)");
      }
      out.flush();
    }
  }

  private boolean startOver(Step first) throws InterruptedException {
    out.println("► starting over: undoing steps " + first.id() + " and later");
    out.flush();
    try {
      List<CheckResult> failing = StepStates.reset(all, first.id(), context, line -> {
        out.println("  ► " + line);
        out.flush();
      }, Duration.ofSeconds(60));
      if (!failing.isEmpty()) {
        out.println("✗ the steps before " + first.id() + " do not hold again: " + failing.get(0));
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("starting over from step {} failed", first.id(), e);
      out.println("✗ starting over failed: " + e.getMessage());
      return false;
    } finally {
      out.flush();
    }
  }

  private void holdUntilQuit(Ending ending, Keys keys) throws InterruptedException {
    out.println();
    out.println("✔ Done. The lab keeps running until you press q (or Ctrl-C), so you can go on:");
    ending.whatNext().forEach(line -> out.println("    " + line));
    out.flush();
    while (true) {
      Character key = keys.next(60_000);
      if (key != null && Character.toLowerCase(key) == 'q') {
        out.println("quit: the lab stops now; its data dir keeps the Git history and your clone.");
        out.flush();
        return;
      }
    }
  }
}
