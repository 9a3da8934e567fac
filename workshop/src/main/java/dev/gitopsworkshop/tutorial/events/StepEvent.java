package dev.gitopsworkshop.tutorial.events;

import java.time.Instant;

/**
 * Something a runner saw happen to a step, as a room reports it: a step started, a check failing
 * (what it waits for, what it sees), a hint shown, the step solved with the key, done, failed, or
 * undone (this step and every later one).
 *
 * @param check the failing check, or null
 * @param message what the check observed, the hint's text, or null
 */
public record StepEvent(Type type, int step, String check, String message, Instant at) {
  /** The kinds of event, with their names on the wire. */
  public enum Type {
    STARTED("started"), FAILING("failing"), HINT("hint"), SOLVED("solved"), DONE("done"), FAILED("failed"), RESET("reset");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public static StepEvent of(Type type, int step) {
    return new StepEvent(type, step, null, null, Instant.now());
  }

  public static StepEvent failing(int step, String check, String observed) {
    return new StepEvent(Type.FAILING, step, check, observed, Instant.now());
  }

  public static StepEvent hint(int step, String text) {
    return new StepEvent(Type.HINT, step, null, text, Instant.now());
  }
}
