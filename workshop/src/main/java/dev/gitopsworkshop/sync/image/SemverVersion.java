package dev.gitopsworkshop.sync.image;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version read as Flux reads image tags (leniently: an optional {@code v}, a missing
 * minor or patch taken as 0, a pre-release after {@code -}, build metadata after {@code +}), with
 * semver's precedence: numbers compare as numbers, a pre-release sorts before its release.
 */
public record SemverVersion(BigInteger major, BigInteger minor, BigInteger patch, String prerelease) implements Comparable<SemverVersion> {
  private static final Pattern VERSION = Pattern.compile(
      "v?(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:\\.(0|[1-9]\\d*))?"
          + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

  public static Optional<SemverVersion> parse(String text) {
    Matcher m = VERSION.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SemverVersion(number(m.group(1)), number(m.group(2)), number(m.group(3)), m.group(4) == null ? "" : m.group(4)));
  }

  static SemverVersion of(long major, long minor, long patch) {
    return new SemverVersion(BigInteger.valueOf(major), BigInteger.valueOf(minor), BigInteger.valueOf(patch), "");
  }

  private static BigInteger number(String digits) {
    return digits == null ? BigInteger.ZERO : new BigInteger(digits);
  }

  boolean isPrerelease() {
    return !prerelease.isEmpty();
  }

  @Override
  public int compareTo(SemverVersion o) {
    int c = major.compareTo(o.major);
    if (c == 0) {
      c = minor.compareTo(o.minor);
    }
    if (c == 0) {
      c = patch.compareTo(o.patch);
    }
    return c != 0 ? c : comparePrerelease(prerelease, o.prerelease);
  }

  private static int comparePrerelease(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? 1 : -1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xNum = x[i].chars().allMatch(Character::isDigit);
      boolean yNum = y[i].chars().allMatch(Character::isDigit);
      int c = xNum && yNum ? new BigInteger(x[i]).compareTo(new BigInteger(y[i]))
          : xNum != yNum ? (xNum ? -1 : 1) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + prerelease);
  }
}
