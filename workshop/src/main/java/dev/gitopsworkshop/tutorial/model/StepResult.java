package dev.gitopsworkshop.tutorial.model;

import java.time.Duration;
import java.util.List;

/**
 * How a step went.
 *
 * @param convergence what the lab did after the participant's act and how long it took (push to
 *     applied, delete to healed), or null when the step had no such act
 * @param failures the checks that did not hold when the step gave up (empty when it passed)
 * @param error why the step failed without a check (an action went wrong) or was skipped
 */
public record StepResult(Step step, Outcome outcome, Duration time, Convergence convergence, List<CheckResult> failures,
    String error) {
  public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }

  /** From the end of an act ({@code push}) to the checks holding ({@code applied}). */
  public record Convergence(String what, Duration time) {}

  public static StepResult passed(Step step, Duration time, Convergence convergence) {
    return new StepResult(step, Outcome.PASSED, time, convergence, List.of(), null);
  }

  public static StepResult failed(Step step, Duration time, List<CheckResult> failures) {
    return new StepResult(step, Outcome.FAILED, time, null, failures, null);
  }

  public static StepResult broken(Step step, Duration time, String error) {
    return new StepResult(step, Outcome.FAILED, time, null, List.of(), error);
  }

  public static StepResult skipped(Step step, String why) {
    return new StepResult(step, Outcome.SKIPPED, Duration.ZERO, null, List.of(), why);
  }
}
