package dev.gitopsworkshop.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab started with {@code --nudge=off}: {@code demo drift} switches the nudges on for itself, then off again. */
class DemoOnQuietLabIT {
  @TempDir Path tmp;

  @Test
  void driftWithNudgesOnALabStartedWithoutThemHealsAtOnceAndLeavesThemOff() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp, "--nudge=off")) {
      lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--to", "3", "--data-dir=" + lab.dataDir())).ok();
      // nobody nudges the push of step 4: have Flux fetch often, and correct drift every 5s
      lab.kubectl("-n", "flux-system", "patch", "gitrepository", "workshop", "--type=merge", "-p", "{\"spec\":{\"interval\":\"1s\"}}").ok();
      lab.kubectl("-n", "flux-system", "patch", "kustomization", "workshop", "--type=merge", "-p", "{\"spec\":{\"interval\":\"5s\"}}").ok();
      lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--from", "4", "--to", "4", "--data-dir=" + lab.dataDir())).ok();
      Cli.Result r = lab.cli().run(tmp, lab.cli().workshop("demo", "drift", "--timeout", "30", "--data-dir=" + lab.dataDir())).ok();
      assertTrue(r.out().contains("reconcile requested: the lab set reconcile.fluxcd.io/requestedAt"),
          "the lab learnt what Flux applied while its nudges were off: " + r.out());
      assertTrue(r.out().contains("deleted: healed in"), r.out());

      String uid = lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.metadata.uid}").ok().out();
      String requested = "jsonpath={.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}";
      String before = lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o", requested).ok().out();
      lab.kubectl("delete", "deployment", "podinfo").ok();
      org.awaitility.Awaitility.await("podinfo recreated at Flux's interval").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> {
            String now = lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.metadata.uid}").out();
            return !now.isEmpty() && !now.equals(uid);
          });
      assertEquals(before, lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o", requested).ok().out(),
          "after the demo the lab is quiet again: nobody asked Flux");
    }
  }
}
