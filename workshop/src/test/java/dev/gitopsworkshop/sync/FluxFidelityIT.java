package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.sync.fidelity.FidelityRow;
import dev.gitopsworkshop.sync.fidelity.FidelityRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fidelity table, row by row, on the embedded operator: every row of
 * {@code src/test/resources/fidelity/} (honoured or refused) holds on one shared lab, each row in a
 * namespace of its own, the rows checked side by side. {@code FluxFidelityK3sIT} runs the honoured
 * rows against real Flux.
 */
class FluxFidelityIT {
  @TempDir static Path tmp;
  static FidelityRun run;

  static Path rowsDir() {
    return Cli.projectRoot().resolve("workshop/src/test/resources/fidelity");
  }

  @BeforeAll
  static void labWithEveryRowStarted() throws Exception {
    var rows = FidelityRow.load(rowsDir());
    RunningLab lab = RunningLab.up(tmp);
    Path ws = lab.cloneWorkshop(tmp.resolve("workspace"));
    lab.installOperator(ws);
    await("GitRepository flux-system/workshop ready").atMost(Duration.ofSeconds(60)).until(() -> "True".equals(
        lab.kubectl("-n", "flux-system", "get", "gitrepository", "workshop", "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().strip()));
    run = FidelityRun.start(lab, ws, rows);
  }

  @AfterAll
  static void down() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRowHoldsOnTheEmbeddedOperator() {
    return run.tests(r -> r.where() + " (" + r.verdict() + ")");
  }
}
