package dev.gitopsworkshop.cluster.k3s;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.output.OutputFrame;

/** The wait for k3s: progress while it starts, and what the user reads when it takes too long. */
class K3sStartupTest {
  final List<String> progress = new CopyOnWriteArrayList<>();

  static OutputFrame line(String text) {
    return new OutputFrame(OutputFrame.OutputType.STDERR, (text + "\n").getBytes());
  }

  @Test
  void k3sLogLinesAreShownByTheirMessage() {
    assertEquals("Importing images from /var/lib/rancher/k3s/agent/images/k3s-images.tar",
        K3sStartup.message("time=\"2026-12-07T10:00:01Z\" level=info msg=\"Importing images from "
            + "/var/lib/rancher/k3s/agent/images/k3s-images.tar\""));
    assertEquals("Starting \"k3s\" now", K3sStartup.message("time=\"x\" level=info msg=\"Starting \\\"k3s\\\" now\""));
    assertEquals("I1207 10:00:02.123 plain klog line", K3sStartup.message("I1207 10:00:02.123 plain klog line\n"));
    assertEquals(100, K3sStartup.message("x".repeat(300)).length());
  }

  @Test
  void whileK3sStartsAProgressLineSaysHowLongAndWhatK3sSaidLast() {
    try (K3sStartup startup = new K3sStartup(Duration.ofMinutes(6), Duration.ofMillis(50), progress::add)) {
      startup.accept(line("time=\"t\" level=info msg=\"Starting k3s v1.33.5+k3s1\""));
      startup.accept(line("time=\"t\" level=info msg=\"Importing images from /var/lib/rancher/k3s/agent/images/k3s-images.tar\""));
      await("a progress line with what k3s said").atMost(Duration.ofSeconds(10))
          .until(() -> progress.stream().anyMatch(p -> p.contains("it says:")));
    }
    String line = progress.stream().filter(p -> p.contains("it says:")).findFirst().orElseThrow();
    assertTrue(line.startsWith("k3s is starting: "), line);
    assertTrue(line.contains(" s of at most 6 min; it says: Importing images from /var/lib/rancher/k3s/agent/images/k3s-images.tar"), line);
  }

  @Test
  void aStartThatUsedUpTheLimitSaysSoWithK3sLastLineAndHowToWaitLonger() {
    try (K3sStartup startup = new K3sStartup(Duration.ZERO, Duration.ofHours(1), progress::add)) {
      startup.accept(line("time=\"t\" level=info msg=\"Waiting for control-plane node to register\""));
      assertTrue(startup.exceeded());
      WorkshopException e = startup.failure(new IllegalStateException("Timed out waiting for log output"));
      assertEquals("k3s did not say it was ready within 0 min (its last line: Waiting for control-plane node to register)", e.getMessage());
      assertTrue(e.hint().contains("--k3s-timeout MINUTES"), e.hint());
      assertTrue(e.hint().contains("--cluster embedded"), e.hint());
    }
  }

  @Test
  void aStartThatFailedEarlyIsNotCalledSlow() {
    try (K3sStartup startup = new K3sStartup(Duration.ofMinutes(6), Duration.ofHours(1), progress::add)) {
      assertFalse(startup.exceeded());
      WorkshopException e = startup.failure(new IllegalStateException("privileged mode is not allowed"));
      assertEquals("k3s did not start: privileged mode is not allowed", e.getMessage());
      assertTrue(e.hint().contains("privileged container"), e.hint());
    }
  }
}
