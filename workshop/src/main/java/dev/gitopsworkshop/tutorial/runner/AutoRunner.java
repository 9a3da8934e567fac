package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --auto}: for each step, remember the "before" state, run the solve actions as a
 * participant would, then re-evaluate the checks until they all hold or the step's time is up. It
 * stops at the first failing step: a broken tutorial fails loudly, naming the check.
 */
public final class AutoRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AutoRunner.class);
  private static final long RECHECK_MILLIS = 20;
  private final TutorialContext context;
  private final Duration timeout;
  private final Consumer<String> progress;

  /**
   * @param timeout how long a step's checks may take to hold after its actions
   * @param progress hears "step ..." once per step and an indented line per action
   */
  public AutoRunner(TutorialContext context, Duration timeout, Consumer<String> progress) {
    this.context = context;
    this.timeout = timeout;
    this.progress = progress;
  }

  public List<StepResult> run(List<Step> steps) throws InterruptedException {
    List<StepResult> results = new ArrayList<>();
    boolean failed = false;
    for (Step step : steps) {
      if (failed) {
        results.add(StepResult.skipped(step, "an earlier step failed"));
      } else if (!step.available()) {
        progress.accept("step " + step.label() + ": skipped, " + step.unavailable());
        results.add(StepResult.skipped(step, step.unavailable()));
      } else {
        StepResult r = runStep(step);
        results.add(r);
        failed = r.outcome() == StepResult.Outcome.FAILED;
      }
    }
    return results;
  }

  StepResult runStep(Step step) throws InterruptedException {
    context.reportStep(step, CurrentStep.State.IN_PROGRESS);
    StepResult result = attempt(step);
    context.reportStep(step, result.outcome() == StepResult.Outcome.PASSED ? CurrentStep.State.DONE : CurrentStep.State.FAILED);
    return result;
  }

  private StepResult attempt(Step step) throws InterruptedException {
    long start = System.nanoTime();
    progress.accept("step " + step.label());
    step.begin(context);
    long reactionFrom = 0;
    String reaction = null;
    for (Action a : step.solve()) {
      progress.accept("  " + a.describe());
      try {
        a.run(context);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("step {}: '{}' failed", step.id(), a.describe(), e);
        return StepResult.broken(step, since(start), "'" + a.describe() + "' failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
      if (a.reaction() != null) {
        reaction = a.reaction();
        reactionFrom = System.nanoTime();
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<CheckResult> failing = step.failing(context);
      if (failing.isEmpty()) {
        StepResult.Convergence c = reaction == null ? null : new StepResult.Convergence(reaction, since(reactionFrom));
        return StepResult.passed(step, since(start), c);
      }
      if (System.nanoTime() > deadline) {
        return StepResult.failed(step, since(start), failing);
      }
      Thread.sleep(RECHECK_MILLIS);
    }
  }

  static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
