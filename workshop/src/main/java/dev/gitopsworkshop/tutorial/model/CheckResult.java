package dev.gitopsworkshop.tutorial.model;

/**
 * The outcome of one check: what it looked for, what it expected, what it found, and (when it did
 * not hold) a hint at the usual cause.
 */
public record CheckResult(boolean passed, String check, String expected, String observed, String hint) {
  public static CheckResult of(boolean passed, String check, String expected, String observed) {
    return new CheckResult(passed, check, expected, observed, null);
  }

  /** The same result with a hint, kept only when the check failed. */
  public CheckResult hinting(String text) {
    return passed ? this : new CheckResult(false, check, expected, observed, text);
  }

  @Override
  public String toString() {
    return check + ": expected " + expected + ", observed " + observed;
  }
}
