package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.actions.GitActions;
import dev.gitopsworkshop.tutorial.events.StepEvent;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Where a lab stands in the tutorial (for {@code steps}, {@code check} and the runners), and going
 * back ({@code reset}). A step is done when its checks hold on the live lab now; each step's checks
 * hold after the later steps too, so no step borrows its state from another.
 */
public final class StepStates {
  private static final long SETTLE_MILLIS = 1000;

  private StepStates() {}

  /** One step's state on the lab now. */
  public record State(Step step, String state, List<CheckResult> results) {
    public boolean done() {
      return "done".equals(state);
    }

    public boolean pending() {
      return "pending".equals(state);
    }
  }

  public static List<State> evaluate(List<Step> steps, TutorialContext context) {
    return context.oneLook(() -> evaluateNow(steps, context));
  }

  private static List<State> evaluateNow(List<Step> steps, TutorialContext context) {
    List<State> out = new ArrayList<>();
    for (Step s : steps) {
      if (!s.available()) {
        out.add(new State(s, "unavailable", List.of()));
        continue;
      }
      List<CheckResult> results = s.evaluate(context);
      out.add(new State(s, results.stream().allMatch(CheckResult::passed) ? "done" : "pending", results));
    }
    return out;
  }

  /**
   * Like {@link #evaluate}, on a lab that may still be converging (a lab started again, whose
   * operator brings back from Git what it had applied): evaluates until the set of done steps has
   * not changed for a second, at most {@code atMost}.
   */
  public static List<State> settled(List<Step> steps, TutorialContext context, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    List<State> last = evaluate(steps, context);
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline && System.nanoTime() - stableSince < SETTLE_MILLIS * 1_000_000) {
      Thread.sleep(200);
      List<State> now = evaluate(steps, context);
      if (!doneIds(now).equals(doneIds(last))) {
        stableSince = System.nanoTime();
      }
      last = now;
    }
    return last;
  }

  /** How a lab came back: how long it took, and the steps that are still not done again. */
  public record Restored(Duration took, List<Integer> pending) {}

  /**
   * On a lab whose operator was installed again from Git (a new cluster), waits until the steps a
   * runner saw done in this data dir are done again, at most {@code atMost}; null when no step
   * was done.
   */
  public static Restored awaitRestored(List<Step> steps, TutorialContext context, Duration atMost) throws InterruptedException {
    List<Integer> recorded = context.progress().done();
    List<Step> wanted = steps.stream().filter(s -> recorded.contains(s.id())).toList();
    if (wanted.isEmpty()) {
      return null;
    }
    long start = System.nanoTime();
    long deadline = start + atMost.toNanos();
    List<Integer> pending = List.of();
    do {
      if (!pending.isEmpty()) {
        Thread.sleep(100);
      }
      pending = evaluate(wanted, context).stream().filter(State::pending).map(s -> s.step().id()).toList();
    } while (!pending.isEmpty() && System.nanoTime() < deadline);
    return new Restored(Duration.ofNanos(System.nanoTime() - start), pending);
  }

  /** The numbers of the done steps among {@code states}. */
  public static List<Integer> doneIds(List<State> states) {
    return states.stream().filter(State::done).map(s -> s.step().id()).toList();
  }

  /** {@code 0-3, 5} for {@code [0, 1, 2, 3, 5]}. */
  public static String ranges(List<Integer> ids) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      int start = ids.get(i);
      int end = start;
      while (i + 1 < ids.size() && ids.get(i + 1) == end + 1) {
        end = ids.get(++i);
      }
      parts.add(start == end ? String.valueOf(start) : end == start + 1 ? start + ", " + end : start + "-" + end);
    }
    return String.join(", ", parts);
  }

  /**
   * Refuses to start at a later step on a lab where the steps before it are not done (their
   * solve actions would find nothing to work on), saying which and what to do.
   */
  public static void requireDoneBefore(List<Step> steps, int from, TutorialContext context) {
    List<Step> before = steps.stream().filter(s -> s.id() < from).toList();
    List<Integer> pending = evaluate(before, context).stream().filter(State::pending).map(s -> s.step().id()).toList();
    if (!pending.isEmpty()) {
      throw new WorkshopException("step" + (pending.size() == 1 ? " " : "s ") + pending.stream().map(String::valueOf)
          .collect(Collectors.joining(", ")) + " before step " + from + " " + (pending.size() == 1 ? "is" : "are") + " not done on this lab",
          "run from the start ('" + context.fill("{{workshop run --auto --to " + (from - 1) + "}}") + "' solves them), or check with '"
              + context.fill("{{workshop steps}}") + "'");
    }
  }

  /**
   * Back to the state before step {@code id}: the reset actions of that step and every later one
   * that began or is done, latest first, in Git and in the cluster; then waits
   * until the steps before it hold again, and step {@code id} begins anew (what it asks for counts
   * from now).
   */
  public static List<CheckResult> reset(List<Step> steps, int id, TutorialContext context, Consumer<String> progress,
      Duration timeout) throws Exception {
    // a step that never began and is not done has nothing to undo (an earlier reset undid it)
    List<Step> undo = steps.stream().filter(s -> s.id() >= id && s.available())
        .filter(s -> context.progress().of(s.id()).began() || s.failing(context).isEmpty())
        .sorted(Comparator.comparingInt(Step::id).reversed()).toList();
    boolean usesWorkspace = undo.stream().anyMatch(s -> s.reset().stream().anyMatch(Action::usesWorkspace));
    if ((id > 0 || usesWorkspace) && !Files.isDirectory(context.workspace().resolve(".git"))) {
      // the state before any step but the first has the workspace clone; undoing works in it
      progress.accept("the workspace clone is missing: " + new GitActions.Clone().describe());
      new GitActions.Clone().run(context);
    }
    for (Step s : undo) {
      for (Action a : s.reset()) {
        progress.accept("undo step " + s.id() + ": " + context.fill(a.describe()));
        a.run(context);
      }
    }
    context.progress().forgetFrom(id);
    context.stepEvent(StepEvent.of(StepEvent.Type.RESET, id)); // a room hears this step and the later ones begin again
    List<Step> before = steps.stream().filter(s -> s.id() < id && s.available()).toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<CheckResult> failing = new ArrayList<>();
      before.forEach(s -> failing.addAll(s.failing(context)));
      if (failing.isEmpty() || System.nanoTime() > deadline) {
        if (failing.isEmpty()) {
          steps.stream().filter(s -> s.id() == id && s.available()).findFirst().ifPresent(s -> s.begin(context));
        }
        return failing;
      }
      Thread.sleep(50);
    }
  }
}
