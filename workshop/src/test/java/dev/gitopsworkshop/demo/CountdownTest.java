package dev.gitopsworkshop.demo;

import dev.gitopsworkshop.Mappers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CountdownTest {
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private static JsonNode kustomization(String interval, String readySince, String handled) throws Exception {
    return Mappers.JSON.readTree("""
        {"spec": {"interval": "%s"},
         "status": {"lastHandledReconcileAt": "%s",
                    "conditions": [{"type": "Reconciling", "status": "False", "lastTransitionTime": "2026-11-30T11:00:00Z"},
                                   {"type": "Ready", "status": "True", "lastTransitionTime": "%s"}]}}
        """.formatted(interval, handled, readySince));
  }

  @Test
  void theIntervalIsReadAsFluxWritesIt() throws Exception {
    assertEquals(Duration.ofMinutes(1), Countdown.interval(kustomization("1m", "", "")));
    assertEquals(Duration.ofSeconds(90), Countdown.interval(kustomization("1m30s", "", "")));
  }

  @Test
  void theLastRunIsTheLatestOfReadyHandledRequestAndWhatTheDemoSaw() throws Exception {
    JsonNode ks = kustomization("1m", "2026-11-30T10:00:00Z", "2026-11-30T10:05:00.123456789Z");
    assertEquals(Optional.of(Instant.parse("2026-11-30T10:05:00.123456789Z")), Countdown.lastRun(ks, null));
    assertEquals(Optional.of(T0.plusSeconds(600)), Countdown.lastRun(ks, T0.plusSeconds(600)));
    assertEquals(Optional.of(T0), Countdown.lastRun(kustomization("1m", "2026-11-30T10:00:00Z", "not a time"), null),
        "a requestedAt value that is no time (flux reconcile writes one; anyone may write any) is ignored");
    assertEquals(Optional.empty(), Countdown.lastRun(Mappers.JSON.createObjectNode(), null));
  }

  @Test
  void theNextRunIsWholeIntervalsAfterTheLastOne() {
    Duration minute = Duration.ofMinutes(1);
    assertEquals(T0.plusSeconds(60), Countdown.nextRun(Optional.of(T0), minute, T0.plusSeconds(10)));
    assertEquals(T0.plusSeconds(180), Countdown.nextRun(Optional.of(T0), minute, T0.plusSeconds(150)),
        "runs that changed nothing left no trace: they are counted");
    assertEquals(T0.plusSeconds(120), Countdown.nextRun(Optional.of(T0), minute, T0.plusSeconds(60)),
        "a run due right now is taken as done");
  }

  @Test
  void withoutAKnownLastRunTheNextIsAtMostOneIntervalAway() {
    assertEquals(T0.plusSeconds(5), Countdown.nextRun(Optional.empty(), Duration.ofSeconds(5), T0));
  }
}
