package dev.gitopsworkshop.tutorial;

/** The outcome of one check: what it looked for, what it expected, what it found. */
public record CheckResult(boolean passed, String check, String expected, String observed) {
  public static CheckResult of(boolean passed, String check, String expected, String observed) {
    return new CheckResult(passed, check, expected, observed);
  }

  @Override
  public String toString() {
    return check + ": expected " + expected + ", observed " + observed;
  }
}
