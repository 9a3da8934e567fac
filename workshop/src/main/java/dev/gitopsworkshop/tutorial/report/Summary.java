package dev.gitopsworkshop.tutorial.report;

import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The table printed at the end of a run: each step, its result, its time and what the lab's
 * reaction took (push to applied, delete to healed); then, for a failed step, the check with what
 * it expected and what it observed.
 */
public final class Summary {
  private static final int STEP_WIDTH = 46;

  private Summary() {}

  public static String render(List<StepResult> results) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-" + STEP_WIDTH + "s %-8s %8s  %s%n", "STEP", "RESULT", "TIME", "CONVERGED"));
    for (StepResult r : results) {
      out.append(String.format(Locale.ROOT, "%-" + STEP_WIDTH + "s %-8s %8s  %s%n", truncate(r.step().label()), r.outcome(),
          r.outcome() == StepResult.Outcome.SKIPPED ? "-" : seconds(r.time()), converged(r)));
    }
    for (StepResult r : results) {
      if (r.outcome() == StepResult.Outcome.FAILED) {
        out.append(System.lineSeparator()).append("✗ step ").append(r.step().label()).append(" failed").append(System.lineSeparator());
        if (r.error() != null) {
          out.append("  ").append(r.error()).append(System.lineSeparator());
        }
        for (CheckResult f : r.failures()) {
          out.append("  check: ").append(f.check()).append(System.lineSeparator())
              .append("    expected: ").append(f.expected()).append(System.lineSeparator())
              .append("    observed: ").append(f.observed()).append(System.lineSeparator());
          if (f.hint() != null) {
            out.append("    hint: ").append(f.hint()).append(System.lineSeparator());
          }
        }
      }
    }
    return out.toString();
  }

  private static String converged(StepResult r) {
    StepResult.Convergence c = r.convergence();
    return c == null ? "-" : c.what() + " in " + seconds(c.time());
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2fs", d.toMillis() / 1000.0);
  }

  private static String truncate(String s) {
    return s.length() <= STEP_WIDTH ? s : s.substring(0, STEP_WIDTH - 1) + "…";
  }
}
