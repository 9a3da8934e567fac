package dev.gitopsworkshop.sync.source;

import java.util.ArrayList;
import java.util.List;

/** Paths inside an artifact: slash-separated, relative to its root, never above it. */
public final class ArtifactPaths {
  private ArtifactPaths() {}

  /**
   * {@code ./apps/../base/} as {@code base}: like a secure join onto the artifact's root, a
   * {@code ..} at the root stays at the root.
   */
  public static String clean(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.replace('\\', '/').split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(p);
    }
    return String.join("/", parts);
  }

  /**
   * {@code relative} seen from folder {@code dir}, or null when it leads above the artifact's root
   * (where a secure file system refuses to go).
   */
  public static String resolve(String dir, String relative) {
    List<String> parts = new ArrayList<>();
    for (String p : (dir + "/" + relative).replace('\\', '/').split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
        continue;
      }
      parts.add(p);
    }
    return String.join("/", parts);
  }
}
