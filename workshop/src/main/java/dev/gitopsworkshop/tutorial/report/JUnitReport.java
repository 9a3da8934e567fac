package dev.gitopsworkshop.tutorial.report;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.tutorial.model.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code --report FILE}: JUnit XML, one testcase per step, so CI shows the tutorial like tests. */
public final class JUnitReport {
  private JUnitReport() {}

  public static void write(Path file, List<StepResult> results) throws IOException {
    long failures = results.stream().filter(r -> r.outcome() == StepResult.Outcome.FAILED).count();
    long skipped = results.stream().filter(r -> r.outcome() == StepResult.Outcome.SKIPPED).count();
    double total = results.stream().mapToDouble(r -> r.time().toMillis() / 1000.0).sum();
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append(String.format(Locale.ROOT, "<testsuite name=\"gitops-workshop\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
        results.size(), failures, skipped, total));
    for (StepResult r : results) {
      xml.append(String.format(Locale.ROOT, "  <testcase classname=\"gitops-workshop\" name=\"%s\" time=\"%.3f\"",
          escape(r.step().label()), r.time().toMillis() / 1000.0));
      switch (r.outcome()) {
        case PASSED -> xml.append(r.convergence() == null ? "/>\n" : String.format(Locale.ROOT,
            ">\n    <system-out>%s in %.3f s</system-out>\n  </testcase>\n", escape(r.convergence().what()),
            r.convergence().time().toMillis() / 1000.0));
        case SKIPPED -> xml.append(">\n    <skipped message=\"").append(escape(r.error())).append("\"/>\n  </testcase>\n");
        case FAILED -> {
          String message = r.error() != null ? r.error() : r.failures().get(0).toString();
          StringBuilder detail = new StringBuilder();
          r.failures().forEach(f -> detail.append(f).append('\n'));
          xml.append(">\n    <failure message=\"").append(escape(message)).append("\">")
              .append(escape(detail.toString())).append("</failure>\n  </testcase>\n");
        }
      }
    }
    xml.append("</testsuite>\n");
    DataDir.writeAtomically(file.toAbsolutePath(), xml.toString(), false);
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
