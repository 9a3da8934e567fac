package dev.gitopsworkshop.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo disaster} on a lab that uses an existing cluster (kubeconfig mode; a second lab
 * plays that cluster): refused without consent, and with it, what the lab put there is deleted
 * and converges back from Git.
 */
class DisasterOnExistingClusterIT {
  @TempDir Path tmp;

  @Test
  void theDemoAsksForConsentThenClearsWhatTheLabPutThereAndItComesBack() throws Exception {
    try (RunningLab existing = RunningLab.up(tmp.resolve("a"))) {
      Cli cli = existing.cli();
      Path data = tmp.resolve("b");
      Background lab = cli.start(tmp, Map.of(), cli.workshop("up", "--cluster", "kubeconfig", "--kubeconfig", existing.kubeconfig().toString(),
          "--flux-manifests", Cli.projectRoot().resolve("flux/install.yaml").toString(), "--data-dir", data.toString()));
      try {
        await("the kubeconfig lab is up").atMost(Duration.ofSeconds(60)).until(() -> !lab.isAlive() || Files.exists(data.resolve("lab.json")));
        assertTrue(lab.isAlive(), () -> "up exited: " + lab);
        String dir = "--data-dir=" + data;
        cli.run(tmp, cli.workshop("run", "--auto", "--to", "4", dir)).ok();
        String uid = existing.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.metadata.uid}").ok().out();

        Cli.Result refused = cli.run(tmp, cli.workshop("demo", "disaster", dir));
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("--yes-delete-namespace"), refused.err());
        assertEquals(uid, existing.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.metadata.uid}").ok().out(), "nothing deleted");

        Cli.Result r = cli.run(tmp, cli.workshop("demo", "disaster", "--yes-delete-namespace", dir)).ok();
        assertTrue(r.out().contains("deleted the 1 objects Flux had applied and the namespace flux-system"), r.out());
        assertTrue(r.out().contains("converged back from Git in"), r.out());
        assertNotEquals(uid, existing.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.metadata.uid}").ok().out());
        assertEquals("1", existing.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.status.availableReplicas}").ok().out());
        assertTrue(existing.kubectl("get", "namespace", "default").exitCode() == 0, "the cluster's own namespaces stay");
      } finally {
        lab.close();
      }
    }
  }
}
