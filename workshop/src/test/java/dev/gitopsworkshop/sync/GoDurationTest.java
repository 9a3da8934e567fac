package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations in Flux's messages are Go's: 10m0s, 1h30m0s, 1.5s, 83.525ms. */
class GoDurationTest {
  @Test
  void writesDurationsAsGoDoes() {
    assertEquals("0s", GoDuration.format(Duration.ZERO));
    assertEquals("30s", GoDuration.millis(30_000));
    assertEquals("10m0s", GoDuration.millis(600_000));
    assertEquals("1h0m0s", GoDuration.millis(3_600_000));
    assertEquals("1h30m0s", GoDuration.millis(5_400_000));
    assertEquals("59m30s", GoDuration.millis(3_570_000));
    assertEquals("1.5s", GoDuration.millis(1_500));
    assertEquals("2m3.25s", GoDuration.millis(123_250));
    assertEquals("83.525ms", GoDuration.format(Duration.ofNanos(83_525_000)));
    assertEquals("1.234567891s", GoDuration.format(Duration.ofNanos(1_234_567_891)));
    assertEquals("850µs", GoDuration.format(Duration.ofNanos(850_000)));
    assertEquals("12ns", GoDuration.format(Duration.ofNanos(12)));
  }
}
