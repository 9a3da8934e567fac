package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.actions.GitActions;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.Step;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What solving a step does: its solve actions, after a {@code git pull} when they work in a
 * workspace clone that exists, so that a clone left behind main (someone else pushed: a demo, the
 * operator's image update) does not get its push refused. That pull is a precaution: when the Git
 * does not answer (a room's server away for a while), the actions go on with the clone as it is,
 * and a step that needs only the cluster is still solved.
 */
final class SolveActions {
  private static final Logger LOG = LoggerFactory.getLogger(SolveActions.class);

  private SolveActions() {}

  static List<Action> of(Step step, TutorialContext context) {
    boolean behindPossible = step.solve().stream().anyMatch(Action::usesWorkspace)
        && Files.isDirectory(context.workspace().resolve(".git"));
    if (!behindPossible || step.solve().get(0) instanceof GitActions.Pull) {
      return step.solve();
    }
    List<Action> actions = new ArrayList<>();
    actions.add(new PullFirst());
    actions.addAll(step.solve());
    return actions;
  }

  /** {@code git pull} before the step's own actions; a pull that fails is logged, not the step's failure. */
  private static final class PullFirst implements Action {
    private final GitActions.Pull pull = new GitActions.Pull();

    @Override
    public void run(TutorialContext context) throws InterruptedException {
      try {
        pull.run(context);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("the workspace clone could not pull before solving ({}); the step's actions go on with the clone as it is",
            e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }

    @Override
    public String describe() {
      return pull.describe();
    }

    @Override
    public boolean usesWorkspace() {
      return true;
    }
  }
}
