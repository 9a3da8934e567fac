package dev.gitopsworkshop.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of JSONPath that printer columns use: {@code .a.b}, {@code .a[0].b},
 * {@code .a[?(@.type=="Ready")].status}, with or without braces and a leading {@code $}.
 */
public final class JsonPaths {
  private static final Pattern FILTER = Pattern.compile("\\[\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)\\]");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

  private JsonPaths() {}

  public static JsonNode read(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    JsonNode node = root;
    int i = 0;
    while (i < p.length() && node != null && !node.isMissingNode()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        String field = p.substring(i + 1, end);
        node = field.isEmpty() ? node : node.path(field);
        i = end;
      } else if (c == '[') {
        Matcher f = FILTER.matcher(p).region(i, p.length());
        Matcher x = INDEX.matcher(p).region(i, p.length());
        if (f.lookingAt()) {
          JsonNode found = MissingNode.getInstance();
          for (JsonNode item : node) {
            if (f.group(2).equals(read(item, "." + f.group(1)).asText(null))) {
              found = item;
              break;
            }
          }
          node = found;
          i = f.end();
        } else if (x.lookingAt()) {
          node = node.path(Integer.parseInt(x.group(1)));
          i = x.end();
        } else {
          return MissingNode.getInstance();
        }
      } else {
        return MissingNode.getInstance();
      }
    }
    return node == null ? MissingNode.getInstance() : node;
  }
}
