package dev.gitopsworkshop.demo;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a demo shows the room: one line per thing that happened, with its time relative to the act
 * ({@code +0.412s  drift seen: deployment/podinfo deleted}). Times are taken when the demo's
 * watches hear of it, not polled. A milestone said once is not said again.
 */
public final class Timeline {
  /** What a line is: the demo acting, something seen, an end reached, a wait, a failure, or a heading. */
  public enum Kind { ACT, SEEN, DONE, WAIT, FAIL, HEADING }

  /** Where the lines go (the command decides how each kind looks). */
  public interface Sink {
    void print(Kind kind, String text);
  }

  private final Sink sink;
  private final Set<String> said = ConcurrentHashMap.newKeySet();
  private volatile long zero = System.nanoTime();

  public Timeline(Sink sink) {
    this.sink = sink;
  }

  /** The act begins: times count from now, and every milestone may be said again. */
  public void start() {
    said.clear();
    zero = System.nanoTime();
  }

  /** Seconds since the act began. */
  public double seconds() {
    return (System.nanoTime() - zero) / 1e9;
  }

  /** A line with its time. */
  public synchronized void at(Kind kind, String text) {
    sink.print(kind, stamp(seconds()) + text);
  }

  /** A line with its time, unless {@code key} was said already in this act; whether it was said now. */
  public boolean once(String key, Kind kind, String text) {
    if (!said.add(key)) {
      return false;
    }
    at(kind, text);
    return true;
  }

  public boolean said(String key) {
    return said.contains(key);
  }

  /** A line without a time (a heading, a summary). */
  public synchronized void say(Kind kind, String text) {
    sink.print(kind, text);
  }

  /** {@code +0.412s} padded so that the texts line up. */
  static String stamp(double seconds) {
    return String.format(Locale.ROOT, "%-9s ", String.format(Locale.ROOT, "+%.3fs", seconds));
  }

  /** {@code 0.4 s}, {@code 12.3 s}. */
  public static String duration(double seconds) {
    return String.format(Locale.ROOT, "%.1f s", seconds);
  }
}
