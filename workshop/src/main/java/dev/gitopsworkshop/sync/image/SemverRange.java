package dev.gitopsworkshop.sync.image;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semver range as Flux's ImagePolicy takes it (the syntax of Go's Masterminds semver, which Flux
 * uses): alternatives separated by {@code ||}; within one, constraints separated by commas or
 * spaces, all of which must hold; each an operator ({@code = != > < >= <= ~ ^}, none meaning =)
 * and a version that may end in a wildcard ({@code 6.5.x}, {@code 6.*}, {@code 6}); and hyphen
 * ranges ({@code 6.1 - 6.5.2}). {@code 6.5.x} and {@code 6.5} mean {@code >=6.5.0 <6.6.0}. A
 * pre-release version matches only when a constraint of its alternative names a pre-release.
 */
public final class SemverRange {
  /** A range that does not parse; the message says which part. */
  public static final class InvalidRange extends IllegalArgumentException {
    InvalidRange(String message) {
      super(message);
    }
  }

  private static final Pattern CONSTRAINT = Pattern.compile(
      "(!=|>=|=>|<=|=<|~>|[=><~^])?\\s*v?((?:0|[1-9]\\d*|[xX*])(?:\\.(?:0|[1-9]\\d*|[xX*])){0,2})"
          + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");
  private static final Pattern HYPHEN = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");

  private record Alternative(List<Predicate<SemverVersion>> constraints, boolean allowsPrerelease) {}

  private final String text;
  private final List<Alternative> alternatives;

  private SemverRange(String text, List<Alternative> alternatives) {
    this.text = text;
    this.alternatives = alternatives;
  }

  public static SemverRange parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRange("the semver range is empty (for example '6.5.x' or '>=6.5.0 <6.6.0')");
    }
    List<Alternative> alternatives = new ArrayList<>();
    for (String alternative : text.split("\\|\\|", -1)) {
      String expanded = HYPHEN.matcher(alternative.strip()).replaceAll(">=$1 <=$2");
      List<Predicate<SemverVersion>> constraints = new ArrayList<>();
      boolean prerelease = false;
      // an operator may be followed by a space (">= 6.5"): join it to its version first
      for (String part : expanded.replaceAll("(!=|>=|=>|<=|=<|~>|[=><~^])\\s+", "$1").split("[,\\s]+")) {
        if (part.isEmpty()) {
          continue;
        }
        Matcher m = CONSTRAINT.matcher(part);
        if (!m.matches()) {
          throw new InvalidRange("improper constraint: " + part + " (in '" + text + "')");
        }
        prerelease |= m.group(3) != null;
        constraints.add(constraint(m.group(1) == null ? "=" : m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3)));
      }
      if (constraints.isEmpty()) {
        throw new InvalidRange("improper constraint: '" + text + "' has an empty alternative");
      }
      alternatives.add(new Alternative(constraints, prerelease));
    }
    return new SemverRange(text, alternatives);
  }

  public boolean matches(SemverVersion v) {
    for (Alternative a : alternatives) {
      if (v.isPrerelease() && !a.allowsPrerelease()) {
        continue;
      }
      if (a.constraints().stream().allMatch(c -> c.test(v))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }

  /** One constraint; {@code wild} counts the trailing components written as x or missing. */
  private static Predicate<SemverVersion> constraint(String op, String version, String prerelease) {
    String[] parts = version.split("\\.");
    BigInteger[] n = new BigInteger[3];
    int given = 0;
    for (int i = 0; i < 3; i++) {
      if (i < parts.length && !parts[i].matches("[xX*]")) {
        if (given != i) {
          throw new InvalidRange("improper constraint: " + op + version + " (a number after a wildcard)");
        }
        n[i] = new BigInteger(parts[i]);
        given++;
      } else {
        n[i] = BigInteger.ZERO;
      }
    }
    SemverVersion low = new SemverVersion(n[0], n[1], n[2], prerelease);
    boolean dirty = given < 3;
    SemverVersion next = next(n, given); // the first version above the wildcard's span
    return switch (op) {
      case "=" -> dirty ? between(low, next) : v -> v.compareTo(low) == 0;
      case "!=" -> dirty ? between(low, next).negate() : v -> v.compareTo(low) != 0;
      case ">" -> dirty ? (next == null ? v -> false : v -> v.compareTo(next) >= 0) : v -> v.compareTo(low) > 0;
      case ">=", "=>" -> v -> v.compareTo(low) >= 0;
      case "<" -> v -> v.compareTo(low) < 0;
      case "<=", "=<" -> dirty ? (next == null ? v -> true : v -> v.compareTo(next) < 0) : v -> v.compareTo(low) <= 0;
      case "~", "~>" -> between(low, given <= 1 ? bump(n, 0) : bump(n, 1));
      case "^" -> between(low, caret(n, given));
      default -> throw new InvalidRange("improper constraint: unknown operator " + op);
    };
  }

  private static Predicate<SemverVersion> between(SemverVersion low, SemverVersion highExclusive) {
    return v -> v.compareTo(low) >= 0 && (highExclusive == null || v.compareTo(highExclusive) < 0);
  }

  /** Above {@code 6.5.x} is 6.6.0; above {@code 6.x} is 7.0.0; {@code *} has nothing above it. */
  private static SemverVersion next(BigInteger[] n, int given) {
    return given == 0 ? null : given >= 3 ? null : bump(n, given - 1);
  }

  private static SemverVersion bump(BigInteger[] n, int index) {
    BigInteger[] m = n.clone();
    m[index] = m[index].add(BigInteger.ONE);
    for (int i = index + 1; i < 3; i++) {
      m[i] = BigInteger.ZERO;
    }
    return new SemverVersion(m[0], m[1], m[2], "");
  }

  /** {@code ^1.2.3} below 2.0.0, {@code ^0.2.3} below 0.3.0, {@code ^0.0.3} below 0.0.4. */
  private static SemverVersion caret(BigInteger[] n, int given) {
    if (n[0].signum() > 0 || given <= 1) {
      return bump(n, 0);
    }
    if (n[1].signum() > 0 || given == 2) {
      return bump(n, 1);
    }
    return bump(n, 2);
  }
}
