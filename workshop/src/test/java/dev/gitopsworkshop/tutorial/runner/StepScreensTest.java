package dev.gitopsworkshop.tutorial.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import dev.gitopsworkshop.tutorial.model.Step;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

/**
 * Every step's guided screen fits a 100x40 terminal with its commands visible, with values as long
 * as a real lab's: the header, the text, the keys line and room for a waiting line and a hint.
 */
class StepScreensTest {
  private static final int COLUMNS = 100;
  private static final int ROWS = 40;
  /** The header, the keys line, a waiting line and a hint, each of which may wrap once. */
  private static final int AROUND_THE_TEXT = 1 + 1 + 2 + 2;

  private static TutorialContext context() {
    Path data = Path.of("/home/participant/projects/gitops-workshop/.workshop");
    LabFile lab = LabFile.empty()
        .put("git", "url", "http://127.0.0.1:43217/workshop.git")
        .put("git", "username", "participant")
        .put("git", "password", "UQnEF8cL0B6BeoV_UnHXG47p")
        .put("git", "operatorUsername", "flux")
        .put("git", "operatorPassword", "ddVPwE0QA271h_4MNwMDaTgr")
        .put("cluster", "kubeconfig", data.resolve("kubeconfig").toString());
    return new TutorialContext(lab, DataDir.at(data));
  }

  private static int rows(String line) {
    return Math.max(1, (line.length() + COLUMNS - 1) / COLUMNS);
  }

  @Test
  void everyGuidedScreenFitsOneHundredByForty() {
    TutorialContext c = context();
    List<Step> steps = StepLoader.load(Cli.projectRoot().resolve("steps"));
    for (Step step : steps) {
      String screen = StepText.render(c.fill(step.screenText()), Ansi.OFF);
      int rows = AROUND_THE_TEXT + (step.hasMore() ? 1 : 0);
      for (String line : screen.split("\n", -1)) {
        rows += rows(line);
        if (!line.startsWith("    ")) {
          assertTrue(line.length() <= COLUMNS, "step " + step.id() + ": a line of text wider than " + COLUMNS + " columns: " + line);
        }
      }
      assertTrue(rows <= ROWS, "step " + step.id() + "'s screen takes " + rows + " rows of a " + ROWS + "-row terminal:\n" + screen);
      assertFalse(screen.contains("{{"), "step " + step.id() + " has a placeholder the lab does not fill:\n" + screen);
      assertFalse(screen.contains("|---"), "step " + step.id() + " shows a raw Markdown table:\n" + screen);
    }
  }

  @Test
  void theStepThatFirstUsesKubectlShowsHowToReachTheLab() {
    TutorialContext c = context();
    List<Step> steps = StepLoader.load(Cli.projectRoot().resolve("steps"));
    Step first = steps.stream().filter(s -> s.screenText().contains("\nkubectl ")).findFirst().orElseThrow();
    String screen = c.fill(first.screenText());
    int export = screen.indexOf("\nexport KUBECONFIG=/home/participant/projects/gitops-workshop/.workshop/kubeconfig\n");
    assertTrue(export >= 0 && export < screen.indexOf("\nkubectl "), "step " + first.id() + " exports KUBECONFIG before its first kubectl:\n"
        + screen);
  }
}
