package dev.gitopsworkshop.sync;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The honoured rows of the fidelity table against real Flux on k3s, so that their expectations are
 * Flux's own (refused rows describe the embedded operator only). Needs Docker and the internet;
 * reported as skipped where Docker does not answer. Alone:
 * {@code mvn -B -pl workshop verify -Dtest=none -Dit.test=FluxFidelityK3sIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class FluxFidelityK3sIT {
  @TempDir static Path tmp;
  static RunningLab lab;
  static FidelityRunner runner;
  static List<FidelityRow> rows;
  static Map<FidelityRow, CompletableFuture<Void>> checks;

  @BeforeAll
  @Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
  static void k3sLabWithRealFluxAndEveryRowStarted() throws Exception {
    rows = FidelityRow.load(FluxFidelityIT.rowsDir()).stream().filter(FidelityRow::honoured).toList();
    Path data = tmp.resolve("lab");
    lab = RunningLab.upOn("k3s", tmp, data);
    // steps 0 to 3 install real Flux and make it follow the workshop repository, as on any k3s lab
    Cli.Result installed = lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--to=3", "--step-timeout=600", "--data-dir=" + data));
    installed.ok();
    Path ws = lab.cloneWorkshop(tmp.resolve("workspace"));
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
  Stream<DynamicTest> everyHonouredRowHoldsOnRealFlux() {
    return rows.stream().map(r -> dynamicTest(r.where(), () -> FluxFidelityIT.outcome(checks.get(r))));
  }
}
