package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of kubectl's JSONPath that printer columns use: {@code .a.b}, {@code .a[0]},
 * {@code .a[*].b}, and filters such as {@code .status.conditions[?(@.type=="Ready")].status}.
 */
final class JsonPath {
  private JsonPath() {}

  /** Every node the path selects (empty when nothing matches or the path is not understood). */
  static List<JsonNode> select(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<JsonNode> current = new ArrayList<>(List.of(root));
    int i = 0;
    while (i < p.length() && !current.isEmpty()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        String field = p.substring(i + 1, end);
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode n : current) {
          if (field.isEmpty() || field.equals("*")) {
            n.elements().forEachRemaining(next::add);
          } else if (n.has(field)) {
            next.add(n.get(field));
          }
        }
        current = next;
        i = end;
      } else if (c == '[') {
        int end = closing(p, i);
        if (end < 0) {
          return List.of();
        }
        String inner = p.substring(i + 1, end).trim();
        current = bracket(current, inner);
        i = end + 1;
      } else {
        return List.of();
      }
    }
    return current;
  }

  /** The first selected value as text, as kubectl prints a column cell; empty when none. */
  static String text(JsonNode root, String path) {
    List<JsonNode> found = select(root, path);
    if (found.isEmpty() || found.get(0).isNull()) {
      return "";
    }
    JsonNode first = found.get(0);
    return first.isValueNode() ? first.asText() : Json.text(first);
  }

  private static int closing(String p, int open) {
    int depth = 0;
    boolean quoted = false;
    for (int j = open; j < p.length(); j++) {
      char c = p.charAt(j);
      if (c == '"' || c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '[') {
        depth++;
      } else if (!quoted && c == ']' && --depth == 0) {
        return j;
      }
    }
    return -1;
  }

  private static List<JsonNode> bracket(List<JsonNode> current, String inner) {
    List<JsonNode> next = new ArrayList<>();
    if (inner.startsWith("?(") && inner.endsWith(")")) {
      String expr = inner.substring(2, inner.length() - 1).trim();
      int op = expr.indexOf("==");
      boolean negate = op < 0 && expr.contains("!=");
      if (negate) {
        op = expr.indexOf("!=");
      }
      if (op < 0 || !expr.startsWith("@")) {
        return next;
      }
      String field = expr.substring(1, op).trim();
      String want = unquote(expr.substring(op + 2).trim());
      for (JsonNode n : current) {
        for (JsonNode item : n) {
          List<JsonNode> v = select(item, field);
          boolean eq = !v.isEmpty() && v.get(0).asText().equals(want);
          if (eq != negate) {
            next.add(item);
          }
        }
      }
      return next;
    }
    for (JsonNode n : current) {
      if (inner.equals("*")) {
        n.elements().forEachRemaining(next::add);
      } else if (n.isArray()) {
        try {
          int idx = Integer.parseInt(inner);
          JsonNode v = n.get(idx < 0 ? n.size() + idx : idx);
          if (v != null) {
            next.add(v);
          }
        } catch (NumberFormatException e) {
          return List.of();
        }
      } else if (n.has(unquote(inner))) {
        next.add(n.get(unquote(inner)));
      }
    }
    return next;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
