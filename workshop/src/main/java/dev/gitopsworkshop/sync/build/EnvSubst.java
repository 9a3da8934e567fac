package dev.gitopsworkshop.sync.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import dev.gitopsworkshop.sync.source.Glob;

/**
 * Flux's post-build variable syntax (the shell-like {@code ${var}} expansion of its envsubst
 * package), with Flux's quirks kept: {@code $$} stands for one {@code $} (so {@code $${var}} is
 * written out literally); {@code ${var:=default}}, {@code ${var:-default}} and {@code ${var=default}}
 * all fall back to the default when the value is empty; an unset variable is empty (Flux's
 * non-strict mode); {@code ${#var}}, case changes ({@code ^ ^^ , ,,}), offsets ({@code ${var:1:2}}),
 * prefix and suffix trimming with glob patterns ({@code # ## % %%}) and replacement
 * ({@code / // /# /%}). {@code ${var-default}} is not part of the syntax (missing closing brace).
 */
public final class EnvSubst {
  /** Text that does not parse, with envsubst's own words ("bad substitution", ...). */
  public static final class SyntaxError extends Exception {
    SyntaxError(String message) {
      super(message);
    }
  }

  private static final String BAD = "bad substitution";

  /** A parsed piece: literal text, or a variable with an operator and its arguments. */
  private sealed interface Node permits Text, Var {}

  private record Text(String value) implements Node {}

  private record Var(String name, String op, List<Node> args) implements Node {}

  private final String src;
  private int pos;

  private EnvSubst(String src) {
    this.src = src;
  }

  /** Expands every variable of {@code text}; {@code values} answers a variable's value, null when unset. */
  public static String expand(String text, UnaryOperator<String> values) throws SyntaxError {
    EnvSubst parser = new EnvSubst(text);
    List<Node> nodes = parser.sequence();
    StringBuilder out = new StringBuilder();
    for (Node n : nodes) {
      out.append(eval(n, values));
    }
    return out.toString();
  }

  // ---- parsing

  private List<Node> sequence() throws SyntaxError {
    List<Node> nodes = new ArrayList<>();
    while (pos < src.length()) {
      if (startsFunction()) {
        pos += 2;
        nodes.add(function());
      } else {
        nodes.add(new Text(topLevelText()));
      }
    }
    return nodes;
  }

  private boolean startsFunction() {
    return src.startsWith("${", pos);
  }

  private char peek() {
    return pos < src.length() ? src.charAt(pos) : 0;
  }

  private char peek(int ahead) {
    return pos + ahead < src.length() ? src.charAt(pos + ahead) : 0;
  }

  /** Text up to the next {@code ${}; each {@code $$} is one {@code $}. */
  private String topLevelText() {
    StringBuilder text = new StringBuilder();
    while (pos < src.length() && !startsFunction()) {
      char c = src.charAt(pos);
      text.append(c);
      pos += c == '$' && peek(1) == '$' ? 2 : 1;
    }
    return text.toString();
  }

  /** After {@code ${}: a variable and its operator, up to and including the closing brace. */
  private Node function() throws SyntaxError {
    if (peek() == '#') {
      pos++;
      String name = identifier();
      if (name.isEmpty()) {
        throw new SyntaxError(BAD);
      }
      closingBrace();
      return new Var(name, "#", List.of());
    }
    String name = identifier();
    if (name.isEmpty()) {
      throw new SyntaxError("unable to parse variable name");
    }
    char c = peek();
    switch (c) {
      case ':' -> {
        if ("=-?+".indexOf(peek(1)) >= 0) {
          String op = src.substring(pos, pos + 2);
          pos += 2;
          return defaults(name, op);
        }
        pos++;
        return substring(name);
      }
      case '=' -> {
        pos++;
        return defaults(name, "=");
      }
      case ',', '^' -> {
        String op = operator(ch -> ch == ',' || ch == '^', 2);
        closingBrace();
        return new Var(name, op, List.of());
      }
      case '/' -> {
        pos++;
        String op = "/" + ("/#%".indexOf(peek()) >= 0 ? String.valueOf(src.charAt(pos++)) : "");
        return replace(name, op);
      }
      case '#', '%' -> {
        String op = operator(ch -> ch == c, 2);
        Node arg = parameter(ch -> ch != '}', false);
        closingBrace();
        return new Var(name, op, List.of(arg));
      }
      case '}' -> {
        pos++;
        return new Var(name, "", List.of());
      }
      default -> throw new SyntaxError("missing closing brace");
    }
  }

  private String identifier() {
    int start = pos;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    return src.substring(start, pos);
  }

  private String operator(IntPredicate accepted, int max) {
    int start = pos;
    while (pos - start < max && pos < src.length() && accepted.test(src.charAt(pos))) {
      pos++;
    }
    return src.substring(start, pos);
  }

  private void closingBrace() throws SyntaxError {
    if (peek() != '}') {
      throw new SyntaxError(BAD);
    }
    pos++;
  }

  /** {@code ${var:=a${b}c}}: any number of text and variable parts up to the closing brace. */
  private Node defaults(String name, String op) throws SyntaxError {
    List<Node> args = new ArrayList<>();
    while (peek() != '}') {
      args.add(parameter(ch -> ch != '}', false));
    }
    pos++;
    return new Var(name, op, args);
  }

  /** {@code ${var:offset}} or {@code ${var:offset:length}}. */
  private Node substring(String name) throws SyntaxError {
    List<Node> args = new ArrayList<>();
    args.add(parameter(ch -> ch != ':' && ch != '}', false));
    if (peek() == '}') {
      pos++;
      return new Var(name, ":", args);
    }
    if (peek() != ':') {
      throw new SyntaxError(BAD);
    }
    while (peek() == ':') {
      pos++;
    }
    args.add(parameter(ch -> ch != '}', false));
    closingBrace();
    return new Var(name, ":", args);
  }

  /** {@code ${var/pattern/replacement}} and its variants; {@code \/} and {@code \\} escape. */
  private Node replace(String name, String op) throws SyntaxError {
    List<Node> args = new ArrayList<>();
    args.add(parameter(ch -> ch != '/', true));
    if (peek() != '/') {
      throw new SyntaxError(BAD);
    }
    while (peek() == '/') {
      pos++;
    }
    if (peek() == '}') {
      pos++;
      return new Var(name, op, args);
    }
    args.add(parameter(ch -> ch != '}', true));
    closingBrace();
    return new Var(name, op, args);
  }

  /** One argument: a nested {@code ${...}}, or a run of accepted characters (not empty). */
  private Node parameter(IntPredicate accepted, boolean escapes) throws SyntaxError {
    if (startsFunction()) {
      pos += 2;
      return function();
    }
    StringBuilder text = new StringBuilder();
    while (pos < src.length() && !startsFunction()) {
      char c = src.charAt(pos);
      if (escapes && ((c == '$' && peek(1) == '$') || (c == '\\' && (peek(1) == '/' || peek(1) == '\\')))) {
        text.append(src.charAt(pos + 1));
        pos += 2;
      } else if (accepted.test(c)) {
        text.append(c);
        pos++;
      } else {
        break;
      }
    }
    if (text.isEmpty()) {
      throw new SyntaxError("unable to parse substitution within function");
    }
    return new Text(text.toString());
  }

  // ---- evaluation

  private static String eval(Node node, UnaryOperator<String> values) {
    if (node instanceof Text t) {
      return t.value();
    }
    Var v = (Var) node;
    List<String> args = new ArrayList<>();
    for (Node a : v.args()) {
      args.add(eval(a, values));
    }
    String value = values.apply(v.name());
    String s = value == null ? "" : value;
    return switch (v.op()) {
      case "," -> s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
      case ",," -> s.toLowerCase(Locale.ROOT);
      case "^" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
      case "^^" -> s.toUpperCase(Locale.ROOT);
      case "#" -> args.isEmpty() ? String.valueOf(s.getBytes(StandardCharsets.UTF_8).length) : trimPrefix(s, args.get(0), false);
      case "##" -> trimPrefix(s, args.get(0), true);
      case "%" -> reverse(trimPrefix(reverse(s), reverse(args.get(0)), false));
      case "%%" -> reverse(trimPrefix(reverse(s), reverse(args.get(0)), true));
      case ":" -> substring(s, args);
      case "/" -> args.size() == 1 ? s.replaceFirst(quote(args.get(0)), "") : s.replaceFirst(quote(args.get(0)), quoteReplacement(args.get(1)));
      case "//" -> s.replace(args.get(0), args.size() == 1 ? "" : args.get(1));
      case "/#" -> args.size() == 2 && s.startsWith(args.get(0)) ? args.get(1) + s.substring(args.get(0).length()) : s;
      case "/%" -> args.size() == 2 && s.endsWith(args.get(0)) ? s.substring(0, s.length() - args.get(0).length()) + args.get(1) : s;
      default -> s.isEmpty() && !args.isEmpty() ? String.join("", args) : s; // "", "=", ":=", ":-", ":?", ":+", mixed casing
    };
  }

  private static String quote(String s) {
    return java.util.regex.Pattern.quote(s);
  }

  private static String quoteReplacement(String s) {
    return java.util.regex.Matcher.quoteReplacement(s);
  }

  private static String reverse(String s) {
    return new StringBuilder(s).reverse().toString();
  }

  /** Removes the shortest (or longest) non-empty prefix that the glob matches; a bad pattern changes nothing. */
  private static String trimPrefix(String s, String pattern, boolean longest) {
    String match = "";
    for (int end = s.length(); end >= 1; end--) {
      Boolean m = Glob.match(pattern, s.substring(0, end));
      if (m == null) {
        return s;
      }
      if (m) {
        match = s.substring(0, end);
        if (longest) {
          break;
        }
      }
    }
    return s.substring(match.length());
  }

  private static String substring(String s, List<String> args) {
    int offset;
    try {
      offset = Integer.parseInt(args.get(0));
    } catch (NumberFormatException e) {
      return s;
    }
    if (offset < 0) {
      offset = Math.max(0, s.length() + offset);
    }
    if (args.size() == 1) {
      return offset < s.length() ? s.substring(offset) : "";
    }
    int length;
    try {
      length = Integer.parseInt(args.get(1));
    } catch (NumberFormatException e) {
      return s;
    }
    if (offset + length >= s.length()) {
      return offset < s.length() ? s.substring(offset) : "";
    }
    return length < 0 ? s : s.substring(offset, offset + length);
  }
}
