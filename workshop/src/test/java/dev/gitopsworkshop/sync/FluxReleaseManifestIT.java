package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.FluxReleaseFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest shaped like Flux's genuine release install.yaml (seven controllers, no version label,
 * RBAC, NetworkPolicies, every Flux CRD) on the embedded cluster: step 1 applies it as it is, and
 * the whole tutorial passes. (The kubeconfig mode runs it in {@code KubeconfigLabIT}.)
 */
class FluxReleaseManifestIT {
  @TempDir Path tmp;

  @Test
  void theWholeTutorialPassesOnTheEmbeddedClusterWithFluxsReleaseManifest() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Path data = tmp.resolve("lab");
    Path report = tmp.resolve("report.xml");
    Cli.Result r = cli.run(tmp, cli.workshop("run", "--auto", "--cluster", "embedded", "--flux-manifests",
        FluxReleaseFixture.file().toString(), "--data-dir", data.toString(), "--report", report.toString()));
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("Flux's install manifest: " + FluxReleaseFixture.file() + " (Flux v2.9.4, 7 controllers)"), r.err());
    String xml = Files.readString(report);
    assertTrue(xml.contains("tests=\"9\" failures=\"0\" errors=\"0\" skipped=\"0\""), xml);
    String installed = cli.git(null, "--git-dir", data.resolve("git/workshop.git").toString(), "show", "main:flux/install.yaml").ok().out();
    assertEquals(Files.readString(FluxReleaseFixture.file()), installed, "step 1 applied the release's file, committed by the lab");
  }
}
