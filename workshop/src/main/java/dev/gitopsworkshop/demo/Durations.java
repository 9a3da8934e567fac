package dev.gitopsworkshop.demo;

import java.time.Duration;

/** Durations as Flux writes them: {@code 1m}, {@code 5s}, {@code 1m30s}. */
final class Durations {
  private Durations() {}

  static String text(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      out.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0) {
      out.append(s % 60).append('s');
    }
    return out.toString();
  }
}
