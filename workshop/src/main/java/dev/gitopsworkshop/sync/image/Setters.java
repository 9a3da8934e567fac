package dev.gitopsworkshop.sync.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flux's "Setters" update strategy, line by line: only a line that ends with a marker comment
 * {@code # {"$imagepolicy": "<namespace>:<policy>"}} has its value replaced, by the policy's
 * {@code <image>:<tag>}; with {@code :tag} or {@code :name} after the policy, by the tag or the
 * image name only. The rest of the file (comments, quoting, layout) stays as written, and a line
 * without a marker is never touched.
 */
final class Setters {
  /** The image a policy currently selects. */
  record Ref(String name, String tag) {}

  /** One value replaced: where, what it was, what it is now, and by which marker. */
  record Change(String file, int line, String oldValue, String newValue, String setter) {}

  record Result(String content, List<Change> changes) {}

  private static final Pattern MARKER = Pattern.compile("#\\s*\\{\\s*\"\\$imagepolicy\"\\s*:\\s*\"([^\"]+)\"\\s*}\\s*$");
  /** The value just before the comment: after {@code key:} or a list's {@code -}, optionally quoted. */
  private static final Pattern VALUE = Pattern.compile("^(.*?(?::|^\\s*-)\\s+)([\"']?)([^\\s\"'#]+)\\2(\\s+)$");

  private Setters() {}

  /** Rewrites the marked lines of one file; {@code policies} maps {@code namespace:name} to its latest ref. */
  static Result apply(String file, String content, Map<String, Ref> policies) {
    String[] lines = content.split("\n", -1);
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean cr = line.endsWith("\r");
      String body = cr ? line.substring(0, line.length() - 1) : line;
      Matcher marker = MARKER.matcher(body);
      if (!marker.find()) {
        continue;
      }
      String[] setter = marker.group(1).split(":");
      if (setter.length < 2 || setter.length > 3 || (setter.length == 3 && !setter[2].equals("tag") && !setter[2].equals("name"))) {
        continue; // not a marker this strategy understands: left alone
      }
      Ref ref = policies.get(setter[0] + ":" + setter[1]);
      if (ref == null) {
        continue; // a policy not selected, or not ready: left alone
      }
      String beforeComment = body.substring(0, marker.start());
      Matcher value = VALUE.matcher(beforeComment);
      if (!value.matches()) {
        continue;
      }
      String old = value.group(3);
      String next = setter.length == 2 ? ref.name() + ":" + ref.tag() : setter[2].equals("tag") ? ref.tag() : ref.name();
      if (old.equals(next)) {
        continue;
      }
      lines[i] = value.group(1) + value.group(2) + next + value.group(2) + value.group(4) + body.substring(marker.start()) + (cr ? "\r" : "");
      changes.add(new Change(file, i + 1, old, next, marker.group(1)));
    }
    return new Result(String.join("\n", lines), changes);
  }
}
