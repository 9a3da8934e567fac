package dev.gitopsworkshop.sync.fidelity;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/** Rows started on a lab (checked in the background) and the lab, closed together; a test a row. */
public final class FidelityRun implements AutoCloseable {
  private final RunningLab lab;
  private final List<FidelityRow> rows;
  private final Map<FidelityRow, CompletableFuture<Void>> checks;

  private FidelityRun(RunningLab lab, List<FidelityRow> rows, Map<FidelityRow, CompletableFuture<Void>> checks) {
    this.lab = lab;
    this.rows = rows;
    this.checks = checks;
  }

  /** Prepares every row on the lab, whose operator follows the workshop repository cloned in {@code workspace}, and checks them. */
  public static FidelityRun start(RunningLab lab, Path workspace, List<FidelityRow> rows) {
    FidelityRunner runner = new FidelityRunner(lab, workspace);
    runner.prepare(rows);
    return new FidelityRun(lab, rows, runner.checkAll(rows));
  }

  /** The lab the rows ran on. */
  public RunningLab lab() {
    return lab;
  }

  /** A dynamic test per row, named by {@code name}, which fails as its row's check failed. */
  public Stream<DynamicTest> tests(Function<FidelityRow, String> name) {
    return rows.stream().map(r -> dynamicTest(name.apply(r), () -> {
      try {
        checks.get(r).get(5, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    }));
  }

  @Override
  public void close() throws Exception {
    lab.close();
  }
}
