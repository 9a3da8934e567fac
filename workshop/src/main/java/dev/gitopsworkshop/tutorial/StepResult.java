package dev.gitopsworkshop.tutorial;

import java.time.Duration;
import java.util.List;

/**
 * How a step went.
 *
 * @param convergence from the end of the last action to the checks holding (the lab's reaction
 *     time: push to applied, delete to healed), or null when the step had no actions
 * @param failures the checks that did not hold when the step gave up (empty when it passed)
 */
public record StepResult(Step step, Outcome outcome, Duration time, Duration convergence, List<CheckResult> failures, String error) {
  public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }
}
