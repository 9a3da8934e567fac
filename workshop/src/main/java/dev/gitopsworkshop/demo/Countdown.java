package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.sync.FluxStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When Flux runs a Kustomization next, left to itself: every {@code spec.interval} after its last
 * run. A run that changes nothing leaves no trace in the status, so the last run known is the
 * latest of the Ready condition's {@code lastTransitionTime}, {@code status.lastHandledReconcileAt}
 * and what the demo saw Flux do; runs since then are counted in whole intervals.
 */
final class Countdown {
  private Countdown() {}

  static Duration interval(JsonNode ks) {
    return Duration.ofMillis(FluxStatus.durationMillis(ks.at("/spec/interval").asText(""), 600_000));
  }

  /** The latest moment the status (or {@code seen}, may be null) shows the Kustomization ran. */
  static Optional<Instant> lastRun(JsonNode ks, Instant seen) {
    Instant last = seen;
    for (JsonNode c : ks.at("/status/conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        last = latest(last, parse(c.path("lastTransitionTime").asText("")));
      }
    }
    last = latest(last, parse(ks.at("/status/lastHandledReconcileAt").asText("")));
    return Optional.ofNullable(last);
  }

  /** The first run after {@code now}: {@code last} plus whole intervals; {@code now} plus one without a last run. */
  static Instant nextRun(Optional<Instant> last, Duration interval, Instant now) {
    if (last.isEmpty() || interval.isZero() || interval.isNegative()) {
      return now.plus(interval);
    }
    long since = Duration.between(last.get(), now).toMillis();
    if (since < 0) {
      return last.get().plus(interval);
    }
    long runs = since / interval.toMillis() + 1;
    return last.get().plus(interval.multipliedBy(runs));
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  private static Instant parse(String text) {
    try {
      return text.isEmpty() ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
