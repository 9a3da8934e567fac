package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.events.LabEvents;
import dev.gitopsworkshop.tutorial.model.Action;
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
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Help.Ansi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant's run: each step's text, then the runner watches the lab (cluster watches and
 * Git push events, with a slow safety re-check) and moves on by itself once the step's checks
 * hold. Past the step's budget it shows a hint. Keys: s solves the step, r resets it, q quits,
 * ? explains.
 */
public final class GuidedRunner {
  private static final Logger LOG = LoggerFactory.getLogger(GuidedRunner.class);
  private static final long SAFETY_RECHECK_MILLIS = 5000;
  private static final String KEYS = "(keys: s = solve it for me, r = reset this step, q = quit, ? = help)";
  private final TutorialContext context;
  private final PrintWriter out;
  private final double budgetScale;
  private final InputStream keysIn;

  /**
   * @param budgetScale multiplies the steps' budgets (rehearsals and tests show hints sooner)
   * @param keysIn the participant's terminal (its mode is switched to single keys for the run)
   */
  public GuidedRunner(TutorialContext context, PrintWriter out, double budgetScale, InputStream keysIn) {
    this.context = context;
    this.out = out;
    this.budgetScale = budgetScale;
    this.keysIn = keysIn;
  }

  public List<StepResult> run(List<Step> steps) throws InterruptedException {
    Set<Check.Kind> kinds = new LinkedHashSet<>();
    steps.forEach(s -> kinds.addAll(s.watches()));
    List<StepResult> results = new ArrayList<>();
    try (LabEvents events = new LabEvents(context, kinds); Keys keys = new Keys(keysIn, events::wake)) {
      boolean quit = false;
      for (Step step : steps) {
        if (quit) {
          results.add(StepResult.skipped(step, "the participant quit"));
        } else if (!step.available()) {
          out.println();
          out.println("— step " + step.label() + ": not available (" + step.unavailable() + ")");
          results.add(StepResult.skipped(step, step.unavailable()));
        } else {
          context.reportStep(step, CurrentStep.State.IN_PROGRESS);
          StepResult r = new Attempt(step, events, keys).run();
          context.reportStep(step, r.outcome() == StepResult.Outcome.PASSED ? CurrentStep.State.DONE
              : r.outcome() == StepResult.Outcome.SKIPPED ? CurrentStep.State.SKIPPED : CurrentStep.State.FAILED);
          results.add(r);
          quit = r.outcome() != StepResult.Outcome.PASSED;
        }
      }
    }
    out.flush();
    return results;
  }

  /** One step, from its text to its checks holding (or the participant quitting). */
  private final class Attempt {
    private final Step step;
    private final LabEvents events;
    private final Keys keys;
    private final long budget;
    private long start;
    private int hintsShown;
    private String lastWaiting = "";
    private String solvedReaction;
    private long solvedAt;

    Attempt(Step step, LabEvents events, Keys keys) {
      this.step = step;
      this.events = events;
      this.keys = keys;
      this.budget = Math.max(1, (long) (step.budget().toMillis() * budgetScale));
    }

    StepResult run() throws InterruptedException {
      out.println();
      out.println("──── step " + step.id() + " ────");
      out.print(StepText.render(context.fill(step.body()), Ansi.AUTO));
      out.println(KEYS);
      out.flush();
      begin();
      while (true) {
        List<CheckResult> failing = step.failing(context);
        Duration elapsed = AutoRunner.since(start);
        if (failing.isEmpty()) {
          StepResult.Convergence c = convergence();
          out.printf(Locale.ROOT, "✔ step %d done in %.1f s%s%n", step.id(), elapsed.toMillis() / 1000.0,
              c == null ? "" : String.format(Locale.ROOT, " (%s in %.2f s)", c.what(), c.time().toMillis() / 1000.0));
          out.flush();
          return StepResult.passed(step, elapsed, c);
        }
        showWaiting(failing.get(0));
        showHintIfDue(elapsed, failing.get(0));
        boolean pressed = false;
        for (Character key = keys.poll(); key != null; key = keys.poll()) {
          pressed = true;
          if (!handle(key)) {
            out.println("quit at step " + step.id() + ": 'scripts/workshop run --from " + step.id() + "' continues from here"
                + " (your workspace clone and the Git history stay in the data dir).");
            out.flush();
            return new StepResult(step, StepResult.Outcome.SKIPPED, elapsed, null, failing, "the participant quit");
          }
        }
        if (pressed) {
          continue;
        }
        long nextHint = (hintsShown + 1) * budget - elapsed.toMillis();
        events.await(Math.max(50, Math.min(SAFETY_RECHECK_MILLIS, nextHint)));
      }
    }

    private void begin() {
      step.begin(context);
      events.markStepStart();
      start = System.nanoTime();
    }

    /** Push to applied, delete to healed: from the participant's act (or the solve) to now. */
    private StepResult.Convergence convergence() {
      long from = solvedReaction != null ? solvedAt : 0;
      String what = solvedReaction;
      if (what == null) {
        for (Action a : step.solve()) {
          if (a.reaction() != null) {
            what = a.reaction();
          }
        }
        from = what == null ? 0 : what.startsWith("push") ? events.lastPushNanos() : events.firstDeleteNanos();
      }
      return what == null || from == 0 ? null : new StepResult.Convergence(what, AutoRunner.since(from));
    }

    private void showWaiting(CheckResult first) {
      String waiting = "◎ waiting for: " + first.check() + " (now: " + first.observed() + ")";
      if (!waiting.equals(lastWaiting)) {
        out.println(waiting);
        out.flush();
        lastWaiting = waiting;
      }
    }

    private void showHintIfDue(Duration elapsed, CheckResult first) {
      if (elapsed.toMillis() <= (hintsShown + 1) * budget) {
        return;
      }
      if (hintsShown < step.hints().size()) {
        out.println("► hint: " + context.fill(step.hints().get(hintsShown)));
      } else if (hintsShown == step.hints().size() && first.hint() != null) {
        out.println("► hint: " + first.hint() + " (or press s to have it done for you)");
      }
      hintsShown++;
      out.flush();
    }

    /** False when the participant quits. */
    private boolean handle(char key) {
      switch (Character.toLowerCase(key)) {
        case 's' -> {
          act("solving it for you", step.solve());
          for (Action a : step.solve()) {
            if (a.reaction() != null) {
              solvedReaction = a.reaction();
              solvedAt = System.nanoTime();
            }
          }
        }
        case 'r' -> {
          act("resetting this step", step.reset());
          begin();
        }
        case 'q' -> {
          return false;
        }
        case '?' -> out.println("s: do this step for me   r: undo what this step did and start it again   q: stop here   "
            + "(the runner moves on by itself once the step is done)");
        default -> {
          if (!Character.isWhitespace(key)) {
            out.println(KEYS);
          }
        }
      }
      out.flush();
      return true;
    }

    private void act(String what, List<Action> actions) {
      out.println("► " + what + (actions.isEmpty() ? ": nothing to do" : ""));
      for (Action a : actions) {
        out.println("  ► " + context.fill(a.describe()));
        out.flush();
        try {
          a.run(context);
        } catch (Exception e) {
          LOG.warn("'{}' failed", context.fill(a.describe()), e);
          out.println("  ✗ " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return;
        }
      }
    }
  }
}
