package dev.gitopsworkshop.tutorial.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static Step step(int id, String slug, String title) {
    return new Step(id, slug, title, Duration.ofMinutes(1), List.of(), List.of(), List.of(), List.of(), null, "", Path.of(slug + ".md"));
  }

  @Test
  void oneRowPerStepWithResultTimeAndWhatConverged() {
    String table = Summary.render(List.of(
        StepResult.passed(step(4, "04-add-podinfo", "Add podinfo through Git"), Duration.ofMillis(530),
            new StepResult.Convergence("push to applied", Duration.ofMillis(400))),
        StepResult.passed(step(5, "05-watch-it-sync", "Watch it sync"), Duration.ofMillis(10), null),
        StepResult.skipped(step(8, "08-automate", "Automate"), "not built yet")));
    List<String> rows = table.lines().toList();
    assertEquals(4, rows.size(), table);
    assertTrue(rows.get(0).matches("STEP\\s+RESULT\\s+TIME\\s+CONVERGED"), rows.get(0));
    assertTrue(rows.get(1).matches("04-add-podinfo: Add podinfo through Git\\s+PASSED\\s+0\\.53s\\s+push to applied in 0\\.40s"), rows.get(1));
    assertTrue(rows.get(2).matches("05-watch-it-sync: Watch it sync\\s+PASSED\\s+0\\.01s\\s+-"), rows.get(2));
    assertTrue(rows.get(3).matches("08-automate: Automate\\s+SKIPPED\\s+-\\s+-"), rows.get(3));
  }

  @Test
  void aFailedStepIsFollowedByItsChecksExpectedObservedAndHint() {
    CheckResult failing = CheckResult.of(false, "Deployment default/podinfo has 4 available replicas", "4/4 available", "1/1 available")
        .hinting("change spec.replicas in Git");
    String table = Summary.render(List.of(StepResult.failed(step(7, "07-scale", "Scale"), Duration.ofSeconds(60), List.of(failing))));
    assertTrue(table.contains("07-scale: Scale"), table);
    assertTrue(table.contains("FAILED"), table);
    assertTrue(table.contains("✗ step 07-scale: Scale failed\n  check: Deployment default/podinfo has 4 available replicas\n"
        + "    expected: 4/4 available\n    observed: 1/1 available\n    hint: change spec.replicas in Git"), table);
  }

  @Test
  void aStepWhoseActionBrokeShowsTheError() {
    String table = Summary.render(List.of(StepResult.broken(step(4, "04-x", "X"), Duration.ofSeconds(1), "'git push' failed: refused")));
    assertTrue(table.contains("✗ step 04-x: X failed\n  'git push' failed: refused"), table);
  }

  @Test
  void longTitlesAreCutToKeepTheColumns() {
    String table = Summary.render(List.of(StepResult.passed(step(6, "06-break-it", "Break it, and watch the operator repair it"),
        Duration.ofMillis(200), null)));
    String row = table.lines().toList().get(1);
    assertTrue(row.startsWith("06-break-it: Break it, and watch the operator… PASSED"), row);
  }
}
