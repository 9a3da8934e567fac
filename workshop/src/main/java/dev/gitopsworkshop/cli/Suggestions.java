package dev.gitopsworkshop.cli;

import java.util.Collection;
import java.util.List;

/**
 * "Did you mean": the names closest to what was typed, by edit distance with a swap of two
 * neighbouring letters counted as one edit ({@code stpes} is one edit from {@code steps}).
 */
final class Suggestions {
  private Suggestions() {}

  /** The names closest to {@code typed}, at most two edits away (one for short words); none when nothing is that close. */
  static List<String> closest(String typed, Collection<String> names) {
    int limit = typed.length() <= 3 ? 1 : 2;
    int best = names.stream().mapToInt(n -> distance(typed, n)).min().orElse(Integer.MAX_VALUE);
    return best > limit ? List.of() : names.stream().filter(n -> distance(typed, n) == best).sorted().toList();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
