package dev.gitopsworkshop.cluster.embedded.controllers;

import java.util.HashSet;
import java.util.Set;

/** Hands out unique addresses of one /16 (pods: 10.42.x.y) and takes them back. */
final class IpPool {
  private final String prefix;
  private final Set<Integer> used = new HashSet<>();
  private int next;

  /** @param prefix the first two octets, e.g. {@code "10.42"} */
  IpPool(String prefix, int first) {
    this.prefix = prefix;
    this.next = first;
  }

  synchronized String allocate() {
    for (int tries = 0; tries < 65_536; tries++) {
      int candidate = next;
      next = next >= 65_534 ? 2 : next + 1;
      int last = candidate & 0xff;
      if (last == 0 || last == 255 || !used.add(candidate)) {
        continue;
      }
      return prefix + "." + (candidate >> 8) + "." + last;
    }
    throw new IllegalStateException("no free address left in " + prefix + ".0.0/16");
  }

  /** Marks an address taken (one assigned before, or by a user). */
  synchronized void reserve(String ip) {
    Integer n = offset(ip);
    if (n != null) {
      used.add(n);
    }
  }

  synchronized void release(String ip) {
    Integer n = offset(ip);
    if (n != null) {
      used.remove(n);
    }
  }

  private Integer offset(String ip) {
    if (ip == null || !ip.startsWith(prefix + ".")) {
      return null;
    }
    String[] rest = ip.substring(prefix.length() + 1).split("\\.");
    try {
      return rest.length == 2 ? Integer.parseInt(rest[0]) * 256 + Integer.parseInt(rest[1]) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
