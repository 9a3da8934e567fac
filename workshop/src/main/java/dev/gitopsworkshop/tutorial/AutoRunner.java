package dev.gitopsworkshop.tutorial;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code run --auto}: for each step, remember the "before" state, run the solve actions as a
 * participant would, then re-evaluate the checks until they all hold or the step's time is up. It
 * stops at the first failing step: a broken tutorial fails loudly, naming the check.
 */
public final class AutoRunner {
  private final TutorialContext context;
  private final Duration timeout;
  private final Consumer<String> progress;

  public AutoRunner(TutorialContext context, Duration timeout, Consumer<String> progress) {
    this.context = context;
    this.timeout = timeout;
    this.progress = progress;
  }

  public List<StepResult> run(List<Step> steps) {
    List<StepResult> results = new ArrayList<>();
    boolean failed = false;
    for (Step step : steps) {
      if (!step.available() || failed) {
        results.add(new StepResult(step, StepResult.Outcome.SKIPPED, Duration.ZERO, null, List.of(),
            failed ? "an earlier step failed" : step.unavailable()));
        continue;
      }
      StepResult r = runStep(step);
      results.add(r);
      failed = r.outcome() == StepResult.Outcome.FAILED;
    }
    return results;
  }

  StepResult runStep(Step step) {
    long start = System.nanoTime();
    progress.accept("step " + step.label());
    step.checks().forEach(c -> c.begin(context));
    try {
      for (Action a : step.solve()) {
        progress.accept("  " + a.describe());
        a.run(context);
      }
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new StepResult(step, StepResult.Outcome.FAILED, since(start), null, List.of(), "solving failed: " + message);
    }
    long actionsDone = System.nanoTime();
    long deadline = actionsDone + timeout.toNanos();
    List<CheckResult> failing;
    while (true) {
      failing = new ArrayList<>();
      for (Check c : step.checks()) {
        CheckResult r = c.evaluate(context);
        if (!r.passed()) {
          failing.add(r);
        }
      }
      if (failing.isEmpty()) {
        Duration convergence = step.solve().isEmpty() ? null : Duration.ofNanos(System.nanoTime() - actionsDone);
        return new StepResult(step, StepResult.Outcome.PASSED, since(start), convergence, List.of(), null);
      }
      if (System.nanoTime() > deadline) {
        return new StepResult(step, StepResult.Outcome.FAILED, since(start), null, failing, null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StepResult(step, StepResult.Outcome.FAILED, since(start), null, failing, "interrupted");
      }
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
