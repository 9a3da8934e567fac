package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.sync.fidelity.FidelityRow;
import dev.gitopsworkshop.sync.fidelity.FidelityRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fidelity table, row by row, on the embedded operator: every row of
 * {@code src/test/resources/fidelity/} (honoured or refused) holds on one shared lab, each row in a
 * namespace of its own. {@code FluxFidelityK3sIT} runs the honoured rows against real Flux.
 */
class FluxFidelityIT {
  @TempDir static Path tmp;
  static RunningLab lab;
  static FidelityRunner runner;
  static List<FidelityRow> rows;
  static Map<FidelityRow, CompletableFuture<Void>> checks;

  static Path rowsDir() {
    return Cli.projectRoot().resolve("workshop/src/test/resources/fidelity");
  }

  @BeforeAll
  static void labWithEveryRowStarted() throws Exception {
    rows = FidelityRow.load(rowsDir());
    lab = RunningLab.up(tmp);
    Path ws = lab.cloneWorkshop(tmp.resolve("workspace"));
    lab.installOperator(ws);
    await("GitRepository flux-system/workshop ready").atMost(Duration.ofSeconds(60)).until(() -> "True".equals(
        lab.kubectl("-n", "flux-system", "get", "gitrepository", "workshop", "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().strip()));
    runner = new FidelityRunner(lab, ws);
    runner.prepare(rows);
    checks = runner.checkAll(rows);
  }

  @AfterAll
  static void down() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRowHoldsOnTheEmbeddedOperator() {
    return rows.stream().map(r -> dynamicTest(r.where() + " (" + r.verdict() + ")", () -> outcome(checks.get(r))));
  }

  /** Waits for a row checked in the background; its failure is this test's. */
  static void outcome(CompletableFuture<Void> check) throws Throwable {
    try {
      check.get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }
}
