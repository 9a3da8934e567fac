package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.state.RunningLab;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import dev.gitopsworkshop.tutorial.model.Step;
import java.util.List;

/** What the tutorial commands that need a running lab share: finding it, and the steps. */
final class TutorialLab {
  private TutorialLab() {}

  static TutorialContext attach(DataDir dir) {
    return new TutorialContext(RunningLab.require(dir), dir).requireAnswering();
  }

  static List<Step> steps() {
    return StepLoader.load(ProjectContent.locate().steps());
  }

  static Step step(List<Step> steps, int id) {
    return steps.stream().filter(s -> s.id() == id).findFirst().orElseThrow(() -> WorkshopException.usage(
        "there is no step " + id, "the steps are numbered " + steps.get(0).id() + " to " + steps.get(steps.size() - 1).id()
            + " (see 'scripts/workshop steps')"));
  }
}
