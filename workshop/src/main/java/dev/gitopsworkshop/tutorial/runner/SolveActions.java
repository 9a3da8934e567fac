package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.actions.GitActions;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.Step;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * What solving a step does: its solve actions, after a {@code git pull} when they work in a
 * workspace clone that exists, so that a clone left behind main (someone else pushed: a demo, the
 * operator's image update) does not get its push refused.
 */
final class SolveActions {
  private SolveActions() {}

  static List<Action> of(Step step, TutorialContext context) {
    boolean behindPossible = step.solve().stream().anyMatch(Action::usesWorkspace)
        && Files.isDirectory(context.workspace().resolve(".git"));
    if (!behindPossible || step.solve().get(0) instanceof GitActions.Pull) {
      return step.solve();
    }
    List<Action> actions = new ArrayList<>();
    actions.add(new GitActions.Pull());
    actions.addAll(step.solve());
    return actions;
  }
}
