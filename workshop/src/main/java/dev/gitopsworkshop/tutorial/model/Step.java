package dev.gitopsworkshop.tutorial.model;

import dev.gitopsworkshop.tutorial.TutorialContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One step of the tutorial, as its file in {@code steps/} describes it: the text shown to the
 * participant, the actions that solve it, the checks that prove it done on the live lab, hints,
 * and a time budget after which the first hint is shown.
 *
 * @param reset actions that undo what the step did (for {@code workshop reset} and the reset key)
 * @param unavailable why the step cannot be done in this version, or null when it can
 */
public record Step(
    int id, String slug, String title, Duration budget, List<String> hints, List<Action> solve,
    List<Check> checks, List<Action> reset, String unavailable, String body, Path file) {

  public boolean available() {
    return unavailable == null;
  }

  /** {@code 04-add-podinfo: Add podinfo through Git}. */
  public String label() {
    return slug + ": " + title;
  }

  /** Lets each check remember what "before" looks like. */
  public void begin(TutorialContext context) {
    checks.forEach(c -> c.begin(context));
  }

  /** The checks that do not hold now (empty: the step is done). */
  public List<CheckResult> failing(TutorialContext context) {
    return checks.stream().map(c -> c.evaluate(context)).filter(r -> !r.passed()).toList();
  }

  /** The kinds of object the checks read, for watches. */
  public Set<Check.Kind> watches() {
    Set<Check.Kind> kinds = new LinkedHashSet<>();
    checks.forEach(c -> kinds.addAll(c.watches()));
    return kinds;
  }
}
