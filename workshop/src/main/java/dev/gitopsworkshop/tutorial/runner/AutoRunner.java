package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.events.LabEvents;
import dev.gitopsworkshop.tutorial.events.StepEvent;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
  /** The longest wait between two looks at the checks when nothing the runner watches changed. */
  private static final long RECHECK_MILLIS = 250;
  private final TutorialContext context;
  private final List<Step> all;
  private final Duration timeout;
  private final Consumer<String> progress;
  private LabEvents events;

  /**
   * @param all every step of the tutorial (a rerun undoes the done ones first)
   * @param timeout how long a step's checks may take to hold after its actions
   * @param progress hears "step ..." once per step and an indented line per action
   */
  public AutoRunner(TutorialContext context, List<Step> all, Duration timeout, Consumer<String> progress) {
    this.context = context;
    this.all = all;
    this.timeout = timeout;
    this.progress = progress;
  }

  /**
   * Solves and checks {@code steps}. On a lab where some of them are done already (a rerun), it
   * first goes back to the state before the first one, as {@code reset} does, so that every step
   * is proven again from where a participant starts it.
   */
  public List<StepResult> run(List<Step> steps) throws Exception {
    undoDone(steps);
    Set<Check.Kind> kinds = new LinkedHashSet<>();
    steps.forEach(s -> kinds.addAll(s.watches()));
    try (LabEvents lab = new LabEvents(context, kinds)) {
      events = lab;
      return runAll(steps);
    } finally {
      events = null;
    }
  }

  private List<StepResult> runAll(List<Step> steps) throws InterruptedException {
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

  private void undoDone(List<Step> steps) throws Exception {
    int first = steps.get(0).id();
    List<Integer> done = new ArrayList<>(context.progress().done().stream().filter(id -> id >= first).toList());
    for (StepStates.State s : StepStates.evaluate(steps, context)) {
      if (s.done() && !done.contains(s.step().id())) {
        done.add(s.step().id());
      }
    }
    if (done.isEmpty()) {
      return;
    }
    done.sort(Integer::compare);
    progress.accept("steps " + StepStates.ranges(done) + " are done on this lab already: back to the state before step " + first
        + " first (as '" + context.fill("{{workshop reset " + first + "}}") + "' does)");
    List<CheckResult> failing = StepStates.reset(all, first, context, line -> progress.accept("  " + line), timeout);
    if (!failing.isEmpty()) {
      throw new dev.gitopsworkshop.WorkshopException("the steps before " + first + " do not hold again after undoing the later ones: "
          + failing.get(0), "see '" + context.fill("{{workshop check}}") + "'");
    }
  }

  StepResult runStep(Step step) throws InterruptedException {
    context.reportStep(step, CurrentStep.State.IN_PROGRESS);
    StepResult result = attempt(step);
    context.reportStep(step, result.outcome() == StepResult.Outcome.PASSED ? CurrentStep.State.DONE : CurrentStep.State.FAILED);
    if (result.outcome() == StepResult.Outcome.PASSED) {
      context.progress().done(step.id());
    }
    return result;
  }

  private StepResult attempt(Step step) throws InterruptedException {
    long start = System.nanoTime();
    progress.accept("step " + step.label());
    step.begin(context);
    if (!step.solve().isEmpty()) {
      context.stepEvent(StepEvent.of(StepEvent.Type.SOLVED, step.id())); // by the tool, not by hand
    }
    long reactionFrom = 0;
    String reaction = null;
    for (Action a : SolveActions.of(step, context)) {
      progress.accept("  " + a.describe());
      try {
        a.run(context);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("step {}: '{}' failed", step.id(), a.describe(), e);
        String error = e.getMessage() == null ? e.toString() : e.getMessage();
        context.stepEvent(StepEvent.failing(step.id(), a.describe(), error));
        return StepResult.broken(step, since(start), "'" + a.describe() + "' failed: " + error);
      }
      LOG.debug("step {}: '{}' done, {} ms into the step", step.id(), a.describe(), since(start).toMillis());
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
      LOG.debug("step {}: {} ms in, waiting for {}", step.id(), since(start).toMillis(), failing.get(0).check());
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        context.stepEvent(StepEvent.failing(step.id(), failing.get(0).check(), failing.get(0).observed()));
        return StepResult.failed(step, since(start), failing);
      }
      // look again when the lab changes (a watched kind, a push), at the latest after a short while
      events.await(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
    }
  }

  static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
