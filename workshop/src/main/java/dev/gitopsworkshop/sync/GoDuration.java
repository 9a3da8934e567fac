package dev.gitopsworkshop.sync;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations written as Go's {@code time.Duration.String()} writes them, which is how Flux's messages
 * show intervals and elapsed times: {@code 10m0s}, {@code 1h0m0s}, {@code 30s}, {@code 1.5s},
 * {@code 83.525ms}, {@code 0s}.
 */
public final class GoDuration {
  private GoDuration() {}

  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long n = Math.abs(nanos);
    if (n < 1_000) {
      return sign + n + "ns";
    }
    if (n < 1_000_000) {
      return sign + decimal(n, 1_000) + "µs";
    }
    if (n < 1_000_000_000) {
      return sign + decimal(n, 1_000_000) + "ms";
    }
    long hours = n / 3_600_000_000_000L;
    long minutes = n / 60_000_000_000L % 60;
    String seconds = decimal(n % 60_000_000_000L, 1_000_000_000) + "s";
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds;
    }
    return sign + (minutes > 0 ? minutes + "m" : "") + seconds;
  }

  public static String millis(long millis) {
    return format(Duration.ofMillis(millis));
  }

  private static String decimal(long value, long unit) {
    return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
  }
}
