package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors, in the query-string form ({@code app=podinfo,tier in (web,api),!old})
 * and in the object form of a workload's {@code spec.selector} (matchLabels, matchExpressions).
 */
public final class Selectors {
  private Selectors() {}

  /** Parses {@code labelSelector}; null or blank selects everything. */
  public static Predicate<ObjectNode> labels(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<JsonNode>> terms = new ArrayList<>();
    for (String term : splitTerms(selector)) {
      terms.add(labelTerm(term.trim()));
    }
    return o -> {
      JsonNode labels = o.path("metadata").path("labels");
      return terms.stream().allMatch(t -> t.test(labels));
    };
  }

  private static Predicate<JsonNode> labelTerm(String term) {
    String lower = term.toLowerCase();
    int in = indexOfWord(lower, " notin ");
    if (in > 0) {
      String key = term.substring(0, in).trim();
      Set<String> values = valueSet(term.substring(in + 7));
      return l -> !l.has(key) || !values.contains(l.get(key).asText());
    }
    in = indexOfWord(lower, " in ");
    if (in > 0) {
      String key = term.substring(0, in).trim();
      Set<String> values = valueSet(term.substring(in + 4));
      return l -> l.has(key) && values.contains(l.get(key).asText());
    }
    if (term.contains("!=")) {
      String key = term.substring(0, term.indexOf("!=")).trim();
      String value = term.substring(term.indexOf("!=") + 2).trim();
      return l -> !l.has(key) || !l.get(key).asText().equals(value);
    }
    if (term.contains("=")) {
      String key = term.substring(0, term.indexOf('=')).trim();
      String value = term.substring(term.lastIndexOf('=') + 1).trim();
      return l -> l.has(key) && l.get(key).asText().equals(value);
    }
    if (term.startsWith("!")) {
      String key = term.substring(1).trim();
      return l -> !l.has(key);
    }
    if (term.isEmpty()) {
      throw ApiException.badRequest("unable to parse requirement: empty label selector term");
    }
    return l -> l.has(term);
  }

  private static int indexOfWord(String s, String word) {
    int i = s.indexOf(word);
    if (i < 0 && word.equals(" in ")) {
      i = s.indexOf(" in(");
    }
    if (i < 0 && word.equals(" notin ")) {
      i = s.indexOf(" notin(");
    }
    return i;
  }

  private static Set<String> valueSet(String list) {
    String s = list.trim();
    if (!s.startsWith("(") || !s.endsWith(")")) {
      throw ApiException.badRequest("unable to parse requirement: set must be in parentheses: " + list);
    }
    Set<String> out = new HashSet<>();
    for (String v : s.substring(1, s.length() - 1).split(",")) {
      out.add(v.trim());
    }
    return out;
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> splitTerms(String selector) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    out.add(selector.substring(start));
    return out;
  }

  /**
   * Parses {@code fieldSelector}: {@code =}, {@code ==} and {@code !=} on any dotted field, such as
   * {@code metadata.name}, {@code metadata.namespace}, {@code status.phase},
   * {@code involvedObject.uid}.
   */
  public static Predicate<ObjectNode> fields(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<ObjectNode>> terms = new ArrayList<>();
    for (String raw : selector.split(",")) {
      String term = raw.trim();
      boolean negate = term.contains("!=");
      int op = negate ? term.indexOf("!=") : term.indexOf('=');
      if (op <= 0) {
        throw ApiException.badRequest("invalid field selector: '" + term + "'");
      }
      String field = term.substring(0, op).trim();
      String value = term.substring(term.lastIndexOf('=') + 1).trim();
      terms.add(
          o -> {
            JsonNode node = o;
            for (String part : field.split("\\.")) {
              node = node.path(part);
            }
            String actual = node.isMissingNode() || node.isNull() ? "" : node.asText();
            return negate != actual.equals(value);
          });
    }
    return o -> terms.stream().allMatch(t -> t.test(o));
  }

  /**
   * A workload's {@code spec.selector} (matchLabels and matchExpressions with In, NotIn, Exists,
   * DoesNotExist) as a predicate on objects' labels.
   */
  public static Predicate<ObjectNode> of(JsonNode labelSelector) {
    List<Predicate<JsonNode>> terms = new ArrayList<>();
    labelSelector
        .path("matchLabels")
        .fields()
        .forEachRemaining(
            e -> {
              String key = e.getKey();
              String value = e.getValue().asText();
              terms.add(l -> l.has(key) && l.get(key).asText().equals(value));
            });
    for (JsonNode expr : labelSelector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      Set<String> values = new HashSet<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      switch (expr.path("operator").asText()) {
        case "In" -> terms.add(l -> l.has(key) && values.contains(l.get(key).asText()));
        case "NotIn" -> terms.add(l -> !l.has(key) || !values.contains(l.get(key).asText()));
        case "Exists" -> terms.add(l -> l.has(key));
        case "DoesNotExist" -> terms.add(l -> !l.has(key));
        default -> terms.add(l -> false);
      }
    }
    if (terms.isEmpty()) {
      return o -> false;
    }
    return o -> {
      JsonNode labels = o.path("metadata").path("labels");
      return terms.stream().allMatch(t -> t.test(labels));
    };
  }
}
