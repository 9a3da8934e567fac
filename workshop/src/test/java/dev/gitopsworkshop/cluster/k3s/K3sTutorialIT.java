package dev.gitopsworkshop.cluster.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole tutorial on k3s with real Flux, downloaded from the internet (step 8's image
 * automation scans the real ghcr.io and pushes to the lab's Git server): needs Docker and the
 * internet, and is reported as skipped where Docker does not answer. Whether it answers is decided
 * by the product's own probe (what {@code run --cluster k3s} asks), so that test and product cannot
 * disagree. Run it alone with {@code mvn -B -pl workshop verify -Dit.test=K3sTutorialIT -Dtest=none}.
 */
class K3sTutorialIT {
  @TempDir Path tmp;

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void runAutoPassesStepsZeroToEightOnK3sWithRealFlux() throws Exception {
    DockerProbe.Answer docker = DockerProbe.ask();
    assumeTrue(docker.available(), "no Docker engine answers: " + docker.reason());
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Path report = tmp.resolve("k3s.xml");
    Background run = cli.start(tmp, Map.of(), cli.workshop("run", "--auto", "--cluster", "k3s", "--step-timeout", "300",
        "--data-dir", tmp.resolve("lab").toString(), "--report", report.toString()));
    Cli.Result r = run.waitFor(Duration.ofMinutes(20));
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("lab ready: k3s cluster"), r.err());
    String xml = Files.readString(report);
    assertTrue(xml.contains("tests=\"9\" failures=\"0\" errors=\"0\" skipped=\"0\""), xml);
    assertTrue(Files.notExists(tmp.resolve("lab/lab.json")), "the lab stopped, and its container with it");
  }
}
