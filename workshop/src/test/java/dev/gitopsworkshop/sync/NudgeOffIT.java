package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code --nudge=off} Flux keeps to its intervals: drift is repaired, but nobody asked for it. */
class NudgeOffIT {
  @TempDir Path tmp;

  @Test
  void driftIsRepairedAtTheIntervalWithoutARequest() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp, "--nudge=off")) {
      Path ws = lab.cloneWorkshop(tmp.resolve("ws"));
      lab.installOperator(ws);
      lab.kubectl("-n", "flux-system", "patch", "gitrepository", "workshop", "--type=merge", "-p", "{\"spec\":{\"interval\":\"1s\"}}").ok();
      lab.kubectl("-n", "flux-system", "patch", "kustomization", "workshop", "--type=merge", "-p", "{\"spec\":{\"interval\":\"2s\"}}").ok();
      Files.copy(ws.resolve("examples/podinfo-dep.yaml"), ws.resolve("deploy/kubernetes/podinfo-dep.yaml"));
      lab.cli().git(ws, "add", "-A").ok();
      lab.cli().git(ws, "commit", "-q", "-m", "Add podinfo").ok();
      lab.cli().git(ws, "push", "-q", "origin", "main").ok();
      await("podinfo applied at the interval").atMost(Duration.ofSeconds(30))
          .until(() -> lab.kubectl("get", "deployment", "podinfo").exitCode() == 0);

      String uid = lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.metadata.uid}").ok().out();
      lab.kubectl("delete", "deployment", "podinfo").ok();
      await("podinfo recreated at the interval").atMost(Duration.ofSeconds(30)).until(() -> {
        String now = lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.metadata.uid}").out();
        return !now.isEmpty() && !now.equals(uid);
      });
      String requested = "jsonpath={.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}";
      assertEquals("", lab.kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o", requested).ok().out());
      assertEquals("", lab.kubectl("-n", "flux-system", "get", "gitrepository", "workshop", "-o", requested).ok().out());
    }
  }
}
