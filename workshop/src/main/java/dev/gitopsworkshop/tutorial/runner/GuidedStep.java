package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.events.LabEvents;
import dev.gitopsworkshop.tutorial.events.StepEvent;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.revwalk.RevCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Help.Ansi;

/**
 * One step of the guided run, from its text to its checks holding (or the participant quitting):
 * the runner looks again whenever the lab changes, shows a hint each time the step's budget runs
 * out, says so when the participant's clone would have its push refused, and answers the keys.
 */
final class GuidedStep {
  private static final Logger LOG = LoggerFactory.getLogger(GuidedStep.class);
  private static final long SAFETY_RECHECK_MILLIS = 5000;
  static final String KEYS = "(keys: s = solve it for me, r = reset this step, q = quit, ? = help)";
  private final Step step;
  private final TutorialContext context;
  private final PrintWriter out;
  private final LabEvents events;
  private final Keys keys;
  private final long budget;
  private final List<String> hints;
  private long start;
  private int hintsShown;
  private String lastWaiting = "";
  private List<String> atBegin;
  private String warnedDivergedFrom;
  private String solvedReaction;
  private long solvedAt;

  GuidedStep(Step step, TutorialContext context, PrintWriter out, LabEvents events, Keys keys, double budgetScale) {
    this.step = step;
    this.context = context;
    this.out = out;
    this.events = events;
    this.keys = keys;
    this.budget = Math.max(1, (long) (step.budget().toMillis() * budgetScale));
    this.hints = new ArrayList<>(step.hints());
  }

  StepResult run() throws InterruptedException {
    out.println();
    out.println("──── step " + step.id() + " ────");
    out.print(StepText.render(context.fill(step.screenText()), Ansi.AUTO));
    if (step.hasMore()) {
      out.println("(more about this step: " + context.fill("{{workshop steps show " + step.id() + "}}") + ")");
    }
    out.println(KEYS);
    out.flush();
    begin();
    while (true) {
      List<CheckResult> failing = step.failing(context);
      Duration elapsed = AutoRunner.since(start);
      if (failing.isEmpty()) {
        StepResult.Convergence c = convergence();
        out.printf(Locale.ROOT, "✔ step %d done in %.1f s%s%n", step.id(), elapsed.toMillis() / 1000.0,
            c == null ? "" : String.format(Locale.ROOT, " (%s in %.2f s)", c.what(), c.time().toMillis() / 1000.0));
        out.flush();
        return StepResult.passed(step, elapsed, c);
      }
      if (atBegin == null) {
        atBegin = seen(failing);
      }
      showWaiting(failing.get(0));
      warnIfPushWouldBeRefused();
      showHintIfDue(elapsed, failing);
      boolean pressed = false;
      for (Character key = keys.poll(); key != null; key = keys.poll()) {
        pressed = true;
        if (!handle(key)) {
          // the command last and bare: copied from the screen, it runs as it is
          out.println("quit at step " + step.id() + " (your workspace clone and the Git history stay in the data dir); to go on from here: "
              + context.fill("{{workshop run --from " + step.id() + "}}"));
          out.flush();
          return new StepResult(step, StepResult.Outcome.SKIPPED, elapsed, null, failing, "the participant quit");
        }
      }
      if (pressed) {
        continue;
      }
      long nextHint = (hintsShown + 1) * budget - elapsed.toMillis();
      events.await(Math.max(50, Math.min(SAFETY_RECHECK_MILLIS, nextHint)));
    }
  }

  private void begin() {
    step.begin(context);
    events.markStepStart();
    start = System.nanoTime();
    atBegin = null;
  }

  private static List<String> seen(List<CheckResult> failing) {
    return failing.stream().map(r -> r.check() + " = " + r.observed()).toList();
  }

  /** Push to applied, delete to healed: from the participant's act (or the solve) to now. */
  private StepResult.Convergence convergence() {
    long from = solvedReaction != null ? solvedAt : 0;
    String what = solvedReaction;
    if (what == null) {
      for (Action a : step.solve()) {
        if (a.reaction() != null) {
          what = a.reaction();
        }
      }
      from = what == null ? 0 : what.startsWith("push") ? events.lastPushNanos() : events.firstDeleteNanos();
    }
    return what == null || from == 0 ? null : new StepResult.Convergence(what, AutoRunner.since(from));
  }

  private void showWaiting(CheckResult first) {
    String waiting = "◎ waiting for: " + first.check() + " (now: " + first.observed() + ")";
    if (!waiting.equals(lastWaiting)) {
      context.stepEvent(StepEvent.failing(step.id(), first.check(), first.observed()));
      out.println(waiting);
      out.flush();
      lastWaiting = waiting;
    }
  }

  /** The participant committed, but main moved on the server meanwhile: say the command that fixes the refused push. */
  private void warnIfPushWouldBeRefused() {
    try {
      RevCommit head = context.git().divergedFrom(context.workspace()).orElse(null);
      if (head == null || head.name().equals(warnedDivergedFrom)) {
        return;
      }
      warnedDivergedFrom = head.name();
      out.println("► main moved on the server (" + head.abbreviate(7).name() + " \"" + head.getShortMessage() + "\" by "
          + head.getAuthorIdent().getName() + ") after your clone last pulled, so 'git push' is refused. In "
          + context.fill("{{workspace}}") + ":");
      out.println("    git pull --rebase && git push");
      out.flush();
    } catch (Exception e) {
      LOG.debug("cannot compare the workspace with main on the server: {}", e.getMessage());
    }
  }

  private void showHintIfDue(Duration elapsed, List<CheckResult> failing) {
    if (elapsed.toMillis() <= (hintsShown + 1) * budget) {
      return;
    }
    if (hintsShown == 0 && nothingHappened(failing)) {
      hints.add(0, "nothing has reached the lab since this step began. If kubectl answered 'connection refused' "
          + "(localhost:8080), your terminal does not know the lab yet: " + context.fill("export KUBECONFIG={{kubeconfig}}"));
    }
    CheckResult first = failing.get(0);
    String hint = hintsShown < hints.size() ? context.fill(hints.get(hintsShown))
        : hintsShown == hints.size() && first.hint() != null ? first.hint() + " (or press s to have it done for you)" : null;
    if (hint != null) {
      out.println("► hint: " + hint);
      context.stepEvent(StepEvent.hint(step.id(), hint));
    }
    hintsShown++;
    out.flush();
  }

  /** No push, and every failing check observes what it observed when the step began. */
  private boolean nothingHappened(List<CheckResult> failing) {
    return step.readsCluster() && events.lastPushNanos() == 0 && atBegin != null && atBegin.equals(seen(failing));
  }

  /** False when the participant quits. */
  private boolean handle(char key) {
    switch (Character.toLowerCase(key)) {
      case 's' -> {
        context.stepEvent(StepEvent.of(StepEvent.Type.SOLVED, step.id()));
        act("solving it for you", SolveActions.of(step, context));
        for (Action a : step.solve()) {
          if (a.reaction() != null) {
            solvedReaction = a.reaction();
            solvedAt = System.nanoTime();
          }
        }
      }
      case 'r' -> {
        context.stepEvent(StepEvent.of(StepEvent.Type.RESET, step.id()));
        act("resetting this step", step.reset());
        begin();
        context.stepEvent(StepEvent.of(StepEvent.Type.STARTED, step.id()));
      }
      case 'q' -> {
        return false;
      }
      case '?' -> out.println("s: do this step for me   r: undo what this step did and start it again   q: stop here   "
          + "(the runner moves on by itself once the step is done)");
      default -> {
        if (!Character.isWhitespace(key)) {
          out.println(KEYS);
        }
      }
    }
    out.flush();
    return true;
  }

  private void act(String what, List<Action> actions) {
    out.println("► " + what + (actions.isEmpty() ? ": nothing to do" : ""));
    for (Action a : actions) {
      out.println("  ► " + context.fill(a.describe()));
      out.flush();
      try {
        a.run(context);
      } catch (Exception e) {
        LOG.info("'{}' failed in step {}", a.describe(), step.id(), e);
        out.println("  ✗ " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (e instanceof WorkshopException we && we.hint() != null) {
          out.println("    " + we.hint());
        }
        return;
      }
    }
  }
}
