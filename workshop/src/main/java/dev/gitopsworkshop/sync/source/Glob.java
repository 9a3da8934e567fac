package dev.gitopsworkshop.sync.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Shell glob patterns as Go's {@code path.Match} reads them, which is what Flux's ignore files and
 * its post-build trimming use: {@code *} (any run of characters but {@code /}), {@code ?} (one
 * character but {@code /}), classes {@code [a-z]} and {@code [^a-z]}, and {@code \} escaping the
 * next character. The whole name must match.
 */
public final class Glob {
  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();
  private static final Pattern MALFORMED = Pattern.compile("(?!)");

  private Glob() {}

  /** Whether {@code name} matches {@code glob}; null when the pattern is malformed. */
  public static Boolean match(String glob, String name) {
    Pattern p = CACHE.computeIfAbsent(glob, Glob::compile);
    return p == MALFORMED ? null : p.matcher(name).matches();
  }

  private static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i++);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '\\' -> {
          if (i >= glob.length()) {
            return MALFORMED;
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i++))));
        }
        case '[' -> {
          int end = characterClass(glob, i, re);
          if (end < 0) {
            return MALFORMED;
          }
          i = end;
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** Appends the class starting after its {@code [}; returns the index after its {@code ]}, or -1. */
  private static int characterClass(String glob, int i, StringBuilder re) {
    StringBuilder cls = new StringBuilder("[");
    if (i < glob.length() && glob.charAt(i) == '^') {
      cls.append('^');
      i++;
    }
    boolean any = false;
    while (true) {
      if (i >= glob.length()) {
        return -1;
      }
      char c = glob.charAt(i);
      if (c == ']' && any) {
        break;
      }
      int[] lo = escaped(glob, i);
      if (lo == null) {
        return -1;
      }
      i = lo[1];
      cls.append(String.format("\\x{%x}", lo[0]));
      if (i < glob.length() && glob.charAt(i) == '-') {
        int[] hi = escaped(glob, i + 1);
        if (hi == null) {
          return -1;
        }
        i = hi[1];
        if (hi[0] < lo[0]) {
          return -1;
        }
        cls.append('-').append(String.format("\\x{%x}", hi[0]));
      }
      any = true;
    }
    cls.append(']');
    re.append(cls);
    return i + 1;
  }

  /** One class member, maybe escaped: {character, next index}, or null when malformed. */
  private static int[] escaped(String glob, int i) {
    if (i >= glob.length()) {
      return null;
    }
    char c = glob.charAt(i);
    if (c == '-' || c == ']') {
      return null;
    }
    if (c == '\\') {
      return i + 1 < glob.length() ? new int[] {glob.charAt(i + 1), i + 2} : null;
    }
    return new int[] {c, i + 1};
  }
}
