package dev.gitopsworkshop.tutorial.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JUnitReportTest {
  @TempDir Path tmp;

  private static Step step(int id, String slug) {
    return new Step(id, slug, "Title <" + id + ">", Duration.ofMinutes(1), List.of(), List.of(), List.of(), List.of(), null, "", Path.of(slug + ".md"));
  }

  @Test
  void oneTestcasePerStepWithFailuresAndSkipsAsCiReadsThem() throws Exception {
    List<StepResult> results = List.of(
        new StepResult(step(0, "00-a"), StepResult.Outcome.PASSED, Duration.ofMillis(1500), null, List.of(), null),
        new StepResult(step(1, "01-b"), StepResult.Outcome.FAILED, Duration.ofSeconds(60), null,
            List.of(CheckResult.of(false, "Deployment default/podinfo has 4 available replicas", "4/4 available", "1/4 available")), null),
        new StepResult(step(2, "02-c"), StepResult.Outcome.SKIPPED, Duration.ZERO, null, List.of(), "not available"));
    Path file = tmp.resolve("r.xml");
    JUnitReport.write(file, results);
    String xml = Files.readString(file);
    assertTrue(xml.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), xml);
    assertTrue(xml.contains("name=\"00-a: Title &lt;0&gt;\" time=\"1.500\"/>"), xml);
    assertTrue(xml.contains("<failure message=\"Deployment default/podinfo has 4 available replicas: expected 4/4 available, observed 1/4 available\">"), xml);
    assertTrue(xml.contains("<skipped message=\"not available\"/>"), xml);
    javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  @Test
  void aPassedStepCarriesWhatConvergedAndHowFast() throws Exception {
    Path file = tmp.resolve("r.xml");
    JUnitReport.write(file, List.of(StepResult.passed(step(4, "04-add-podinfo"), Duration.ofMillis(530),
        new StepResult.Convergence("push to applied", Duration.ofMillis(410)))));
    String xml = Files.readString(file);
    assertTrue(xml.contains("<testcase classname=\"gitops-workshop\" name=\"04-add-podinfo: Title &lt;4&gt;\" time=\"0.530\">\n"
        + "    <system-out>push to applied in 0.410 s</system-out>\n  </testcase>"), xml);
    javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }
}
