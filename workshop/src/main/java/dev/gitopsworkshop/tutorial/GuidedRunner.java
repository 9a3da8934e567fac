package dev.gitopsworkshop.tutorial;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The participant's run: each step's text, then the runner watches the lab (cluster and Git events,
 * with a slow safety re-check) and moves on by itself once the step's checks hold. Past the step's
 * budget it shows a hint. Keys: s solves the step, r resets it, q quits, ? explains.
 */
public final class GuidedRunner {
  private static final long SAFETY_RECHECK_MILLIS = 3000;
  private final TutorialContext context;
  private final PrintWriter out;
  private final double budgetScale;

  public GuidedRunner(TutorialContext context, PrintWriter out, double budgetScale) {
    this.context = context;
    this.out = out;
    this.budgetScale = budgetScale;
  }

  public List<StepResult> run(List<Step> steps) throws InterruptedException {
    List<StepResult> results = new ArrayList<>();
    try (LabEvents events = new LabEvents(context); Keys keys = new Keys(System.in, events::wake)) {
      boolean quit = false;
      for (Step step : steps) {
        if (quit || !step.available()) {
          results.add(new StepResult(step, StepResult.Outcome.SKIPPED, Duration.ZERO, null, List.of(),
              quit ? "the participant quit" : step.unavailable()));
          if (!quit) {
            out.println("— step " + step.label() + ": not available (" + step.unavailable() + ")");
          }
          continue;
        }
        StepResult r = runStep(step, events, keys);
        results.add(r);
        quit = r.outcome() != StepResult.Outcome.PASSED;
      }
    }
    return results;
  }

  private StepResult runStep(Step step, LabEvents events, Keys keys) throws InterruptedException {
    out.println();
    out.println("──── step " + step.id() + " of the tutorial ────");
    out.print(StepText.render(step, context));
    out.println("(keys: s = solve it for me, r = reset this step, q = quit, ? = help)");
    out.flush();
    step.checks().forEach(c -> c.begin(context));
    long start = System.nanoTime();
    int hintsShown = 0;
    String lastPending = "";
    while (true) {
      List<CheckResult> failing = new ArrayList<>();
      for (Check c : step.checks()) {
        CheckResult r = c.evaluate(context);
        if (!r.passed()) {
          failing.add(r);
        }
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (failing.isEmpty()) {
        out.printf("✔ step %d done in %.1f s%n", step.id(), elapsed.toMillis() / 1000.0);
        out.flush();
        return new StepResult(step, StepResult.Outcome.PASSED, elapsed, null, List.of(), null);
      }
      String pending = "◎ waiting for: " + failing.get(0).check() + " (now: " + failing.get(0).observed() + ")";
      if (!pending.equals(lastPending)) {
        out.println(pending);
        out.flush();
        lastPending = pending;
      }
      long budget = Math.max(1, (long) (step.budget().toMillis() * budgetScale));
      if (hintsShown < step.hints().size() && elapsed.toMillis() > budget * (hintsShown + 1)) {
        out.println("💡 hint: " + context.fill(step.hints().get(hintsShown)));
        out.flush();
        hintsShown++;
      }
      for (Character key = keys.poll(); key != null; key = keys.poll()) {
        switch (Character.toLowerCase(key)) {
          case 's' -> act("solving it for you", step.solve());
          case 'r' -> {
            act("resetting this step", step.reset());
            step.checks().forEach(c -> c.begin(context));
          }
          case 'q' -> {
            out.println("quit at step " + step.id() + ": 'scripts/workshop run --from " + step.id() + "' continues from here"
                + " (your workspace clone and the Git history stay in the data dir).");
            out.flush();
            return new StepResult(step, StepResult.Outcome.SKIPPED, elapsed, null, failing, "the participant quit");
          }
          case '?' -> out.println("s: solve this step for me   r: undo what this step did   q: stop here   "
              + "(the runner moves on by itself when the step is done)");
          default -> {
            // other keys are ignored
          }
        }
        out.flush();
      }
      long toNextHint = hintsShown < step.hints().size() ? budget * (hintsShown + 1) - elapsed.toMillis() : Long.MAX_VALUE;
      events.await(Math.max(50, Math.min(SAFETY_RECHECK_MILLIS, toNextHint)));
    }
  }

  private void act(String what, List<Action> actions) {
    out.println("► " + what);
    for (Action a : actions) {
      out.println("  ► " + a.describe());
      out.flush();
      try {
        a.run(context);
      } catch (Exception e) {
        out.println("  ✗ " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return;
      }
    }
  }
}
