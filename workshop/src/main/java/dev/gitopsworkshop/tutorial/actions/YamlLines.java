package dev.gitopsworkshop.tutorial.actions;

import java.util.List;

/** Finding a key in a block-style YAML file by its path, line by line, so the rest stays untouched. */
final class YamlLines {
  private YamlLines() {}

  /** The index of the line holding the last key of {@code keys}, nested as given; -1 if absent. */
  static int find(List<String> lines, String[] keys) {
    int from = 0;
    int indent = -1;
    for (int k = 0; k < keys.length; k++) {
      int found = -1;
      for (int i = k == 0 ? 0 : from + 1; i < lines.size(); i++) {
        String line = lines.get(i);
        String stripped = line.stripLeading();
        if (line.isBlank() || stripped.startsWith("#") || stripped.equals("---")) {
          continue;
        }
        int lead = line.length() - stripped.length();
        if (lead <= indent) {
          break;
        }
        if (stripped.startsWith(keys[k] + ":")) {
          found = i;
          indent = lead;
          break;
        }
      }
      if (found < 0) {
        return -1;
      }
      from = found;
    }
    return from;
  }

  /** The line with its value replaced, its key, indentation and trailing comment kept. */
  static String withValue(String line, String value) {
    int colon = line.indexOf(':');
    int comment = line.indexOf(" #", colon);
    return line.substring(0, colon + 1) + " " + value + (comment < 0 ? "" : line.substring(comment));
  }
}
