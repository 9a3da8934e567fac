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

  /** Where a step's guided screen ends in its text: what follows is for {@code steps show N} and the slides. */
  public static final String MORE = "<!-- more -->";

  /** What the guided run shows: the text up to {@link #MORE}. */
  public String screenText() {
    int more = body.indexOf(MORE);
    return more < 0 ? body : body.substring(0, more).stripTrailing() + "\n";
  }

  /** Whether the text goes on past the guided screen. */
  public boolean hasMore() {
    return body.contains(MORE);
  }

  /** The whole text, without the marker. */
  public String fullText() {
    return body.replace(MORE + "\n", "").replace(MORE, "");
  }

  public boolean available() {
    return unavailable == null;
  }

  /** {@code 04-add-podinfo: Add podinfo through Git}. */
  public String label() {
    return slug + ": " + title;
  }

  /** The step begins: each check notes what "before" looks like, in the data dir's progress. */
  public void begin(TutorialContext context) {
    StepMemory memory = context.progress().begin(id);
    checks.forEach(c -> c.begin(context, memory));
  }

  /** Every check's answer now. */
  public List<CheckResult> evaluate(TutorialContext context) {
    StepMemory memory = context.progress().of(id);
    return context.oneLook(() -> checks.stream().map(c -> c.evaluate(context, memory)).toList());
  }

  /** The checks that do not hold now (empty: the step is done). */
  public List<CheckResult> failing(TutorialContext context) {
    return evaluate(context).stream().filter(r -> !r.passed()).toList();
  }

  /** Whether a check of this step asks for an act made after the step began (a deletion, a commit). */
  public boolean asksForAnAct() {
    return checks.stream().anyMatch(c -> !(c instanceof Check.OfState));
  }

  /** Whether a check of this step reads the cluster (so kubectl's access to the lab matters). */
  public boolean readsCluster() {
    return checks.stream().anyMatch(Check::readsCluster);
  }

  /** The kinds of object the checks read, for watches. */
  public Set<Check.Kind> watches() {
    Set<Check.Kind> kinds = new LinkedHashSet<>();
    checks.forEach(c -> kinds.addAll(c.watches()));
    return kinds;
  }
}
