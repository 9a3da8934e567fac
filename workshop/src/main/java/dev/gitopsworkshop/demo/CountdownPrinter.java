package dev.gitopsworkshop.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * With the nudges off, what the room waits for: the seconds until Flux's next run, every ten
 * seconds and then each of the last five, until {@code done} says Flux acted.
 */
final class CountdownPrinter implements AutoCloseable {
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "countdown");
    t.setDaemon(true);
    return t;
  });
  private final Timeline timeline;
  private final Instant next;
  private final BooleanSupplier done;
  private long lastSaid = -1;

  CountdownPrinter(Timeline timeline, Instant next, Duration interval, BooleanSupplier done) {
    this.timeline = timeline;
    this.next = next;
    this.done = done;
    timeline.at(Timeline.Kind.WAIT, "nudges are off: nobody asks Flux to look now; it runs every " + Durations.text(interval)
        + ", next in about " + remaining() + " s");
    lastSaid = remaining();
    ticks.scheduleAtFixedRate(this::tick, 200, 200, TimeUnit.MILLISECONDS);
  }

  private long remaining() {
    long millis = Duration.between(Instant.now(), next).toMillis();
    return millis <= 0 ? 0 : (millis + 999) / 1000;
  }

  private void tick() {
    if (done.getAsBoolean()) {
      ticks.shutdown();
      return;
    }
    long left = remaining();
    if (left == 0) {
      timeline.once("interval-up", Timeline.Kind.WAIT, "Flux's interval is up: its next run is due now");
    } else if (left != lastSaid && (left <= 5 || left % 10 == 0)) {
      timeline.at(Timeline.Kind.WAIT, "Flux runs again in " + left + " s");
      lastSaid = left;
    }
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
