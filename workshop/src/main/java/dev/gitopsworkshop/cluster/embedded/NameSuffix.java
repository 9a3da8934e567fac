package dev.gitopsworkshop.cluster.embedded;

import java.util.concurrent.ThreadLocalRandom;

/** Random name suffixes as Kubernetes makes them (no vowels, no look-alike digits). */
public final class NameSuffix {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private NameSuffix() {}

  public static String random(int length) {
    StringBuilder sb = new StringBuilder(length);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
