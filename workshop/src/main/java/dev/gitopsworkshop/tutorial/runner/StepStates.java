package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Where a lab stands in the tutorial (for {@code steps} and {@code check}), and going back ({@code reset}). */
public final class StepStates {
  private StepStates() {}

  /** One step's state on the lab now. */
  public record State(Step step, String state, List<CheckResult> results) {
    public boolean done() {
      return "done".equals(state);
    }
  }

  public static List<State> evaluate(List<Step> steps, TutorialContext context) {
    List<State> out = new ArrayList<>();
    for (Step s : steps) {
      if (!s.available()) {
        out.add(new State(s, "unavailable", List.of()));
        continue;
      }
      List<CheckResult> results = s.checks().stream().map(c -> c.evaluate(context)).toList();
      out.add(new State(s, results.stream().allMatch(CheckResult::passed) ? "done" : "pending", results));
    }
    // a step a later done step builds on is done too, even if the later one changed what it checked
    // (step 7's four replicas no longer match step 4's one)
    boolean laterDone = false;
    for (int i = out.size() - 1; i >= 0; i--) {
      State st = out.get(i);
      if (laterDone && "pending".equals(st.state())) {
        out.set(i, new State(st.step(), "done", st.results()));
      }
      laterDone |= st.done();
    }
    return out;
  }

  /**
   * Refuses to start at a later step on a lab where the steps before it are not done (their
   * solve actions would find nothing to work on), saying which and what to do.
   */
  public static void requireDoneBefore(List<Step> steps, int from, TutorialContext context) {
    List<Step> before = steps.stream().filter(s -> s.id() < from).toList();
    List<Integer> pending = evaluate(before, context).stream().filter(s -> "pending".equals(s.state())).map(s -> s.step().id()).toList();
    if (!pending.isEmpty()) {
      throw new WorkshopException("step" + (pending.size() == 1 ? " " : "s ") + pending.stream().map(String::valueOf)
          .collect(Collectors.joining(", ")) + " before step " + from + " " + (pending.size() == 1 ? "is" : "are") + " not done on this lab",
          "run from the start ('scripts/workshop run --auto --to " + (from - 1) + "' solves them), or check with 'scripts/workshop steps'");
    }
  }

  /**
   * Back to the state before step {@code id}: the reset actions of that step and every later one,
   * latest first, in Git and in the cluster; then waits until the steps before it hold again.
   */
  public static List<CheckResult> reset(List<Step> steps, int id, TutorialContext context, Consumer<String> progress,
      Duration timeout) throws Exception {
    List<Step> undo = steps.stream().filter(s -> s.id() >= id && s.available())
        .sorted(Comparator.comparingInt(Step::id).reversed()).toList();
    for (Step s : undo) {
      for (Action a : s.reset()) {
        progress.accept("undo step " + s.id() + ": " + a.describe());
        a.run(context);
      }
    }
    List<Step> before = steps.stream().filter(s -> s.id() < id && s.available()).toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<CheckResult> failing = new ArrayList<>();
      before.forEach(s -> failing.addAll(s.failing(context)));
      if (failing.isEmpty() || System.nanoTime() > deadline) {
        return failing;
      }
      Thread.sleep(50);
    }
  }
}
