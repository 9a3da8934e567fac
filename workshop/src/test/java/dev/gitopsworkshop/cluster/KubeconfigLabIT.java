package dev.gitopsworkshop.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.FluxReleaseFixture;
import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.support.Urls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cluster kubeconfig}: a second lab process ({@code up --cluster embedded}) plays the
 * participant's existing cluster, whose controllers run Flux's images; the lab under test installs
 * Flux into it from {@code --flux-manifests} (a file shaped like Flux's genuine release
 * install.yaml) and the whole tutorial runs unchanged.
 */
class KubeconfigLabIT {
  @TempDir Path tmp;

  @Test
  void theWholeTutorialPassesOnAnExistingClusterGivenByKubeconfigWithFluxsReleaseManifest() throws Exception {
    try (RunningLab existing = RunningLab.up(tmp.resolve("a"))) {
      Path report = tmp.resolve("report.xml");
      Path data = tmp.resolve("b");
      Cli.Result r = existing.cli().run(tmp, existing.cli().workshop("run", "--auto", "--cluster", "kubeconfig",
          "--kubeconfig", existing.kubeconfig().toString(), "--flux-manifests", FluxReleaseFixture.file().toString(),
          "--data-dir", data.toString(), "--report", report.toString()));
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.err().contains("lab ready: kubeconfig cluster"), r.err());
      assertTrue(r.err().contains("Flux's install manifest: " + FluxReleaseFixture.file() + " (Flux v2.9.4, 7 controllers)"), r.err());
      String controllers = existing.kubectl("-n", "flux-system", "get", "deployments", "-o",
          "jsonpath={range .items[*]}{.metadata.name}={.status.availableReplicas} {end}").ok().out();
      assertEquals("helm-controller=1 image-automation-controller=1 image-reflector-controller=1 kustomize-controller=1 "
          + "notification-controller=1 source-controller=1 source-watcher=1 ", controllers, "the release's seven controllers run");
      String xml = Files.readString(report);
      assertTrue(xml.contains("tests=\"9\" failures=\"0\" errors=\"0\" skipped=\"0\""), xml);
      assertTrue(Files.notExists(data.resolve("lab.json")), "the lab it started is stopped again");
      String kustomizations = existing.kubectl("-n", "flux-system", "get", "kustomizations").ok().out();
      assertTrue(kustomizations.contains("workshop") && kustomizations.contains("True"), kustomizations);
      String podinfo = existing.kubectl("-n", "default", "get", "deployment", "podinfo", "-o", "jsonpath={.spec.replicas}").ok().out();
      assertEquals("4", podinfo, "step 7's replicas, applied by Flux in the existing cluster");
      String image = existing.kubectl("-n", "default", "get", "deployment", "podinfo", "-o",
          "jsonpath={.spec.template.spec.containers[0].image}").ok().out();
      assertEquals("ghcr.io/stefanprodan/podinfo:6.5.4", image, "step 8's automation, through the existing cluster's image controllers");
    }
  }

  @Test
  void theLabCommitsItsFluxManifestAndTheAdvertisedGitUrlIntoTheWorkshopRepository() throws Exception {
    try (RunningLab existing = RunningLab.up(tmp.resolve("a"))) {
      Path manifest = tmp.resolve("install.yaml");
      Files.writeString(manifest, "# the room's copy\n" + Files.readString(Cli.projectRoot().resolve("flux/install.yaml")));
      Path data = tmp.resolve("b");
      Cli cli = existing.cli();
      Background up = cli.start(tmp, Map.of(), cli.workshop("up", "--cluster", "kubeconfig", "--kubeconfig", existing.kubeconfig().toString(),
          "--context", "workshop", "--git-advertise-url", "http://git.example:8080", "--flux-manifests", manifest.toString(),
          "--data-dir", data.toString()));
      try {
        await("lab.json written by up").atMost(Duration.ofSeconds(60))
            .until(() -> !up.isAlive() || Files.exists(data.resolve("lab.json")));
        if (!up.isAlive()) {
          throw new AssertionError("up exited: " + up);
        }
        LabFile lab = LabFile.read(DataDir.at(data));
        assertEquals("kubeconfig", lab.clusterMode());
        assertEquals("http://git.example:8080/workshop.git", lab.get("git", "clusterUrl"));
        Path clone = tmp.resolve("clone");
        cli.git(null, "clone", "-q", Urls.withCredentials(lab.gitUrl(), lab.gitUsername(), lab.gitPassword()), clone.toString()).ok();
        assertTrue(Files.readString(clone.resolve("flux/install.yaml")).startsWith("# the room's copy\n"));
        assertTrue(Files.readString(clone.resolve("flux/workshop-source.yaml")).contains("url: http://git.example:8080/workshop.git"));
        String log = cli.git(clone, "log", "-1", "--format=%an: %s").ok().out();
        assertEquals("gitops-workshop: Lab: the operator's files for this cluster\n", log);
      } finally {
        up.close();
      }
    }
  }
}
