package dev.gitopsworkshop.sync.build;

import dev.gitopsworkshop.sync.build.EnvSubstParser.Node;
import dev.gitopsworkshop.sync.build.EnvSubstParser.Text;
import dev.gitopsworkshop.sync.build.EnvSubstParser.Var;
import dev.gitopsworkshop.sync.source.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

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

  private EnvSubst() {}

  /** Expands every variable of {@code text}; {@code values} answers a variable's value, null when unset. */
  public static String expand(String text, UnaryOperator<String> values) throws SyntaxError {
    List<Node> nodes = EnvSubstParser.parse(text);
    StringBuilder out = new StringBuilder();
    for (Node n : nodes) {
      out.append(eval(n, values));
    }
    return out.toString();
  }

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
