package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.sync.fidelity.FidelityRow;
import dev.gitopsworkshop.sync.fidelity.FidelityRun;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
  static FidelityRun run;

  @BeforeAll
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  static void k3sLabWithRealFluxAndEveryRowStarted() throws Exception {
    var rows = FidelityRow.load(FluxFidelityIT.rowsDir()).stream().filter(FidelityRow::honoured).toList();
    Path data = tmp.resolve("lab");
    RunningLab lab = RunningLab.upOn("k3s", tmp, data);
    // steps 0 to 3 install real Flux and make it follow the workshop repository, as on any k3s lab
    lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--to=3", "--step-timeout=600", "--data-dir=" + data)).ok();
    run = FidelityRun.start(lab, lab.cloneWorkshop(tmp.resolve("workspace")), rows);
  }

  @AfterAll
  static void down() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyHonouredRowHoldsOnRealFlux() {
    return run.tests(FidelityRow::where);
  }
}
