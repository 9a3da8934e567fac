package dev.gitopsworkshop.sync.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Reads Flux's variable syntax into text and variables, as Flux's envsubst scanner reads it: each
 * {@code $$} is one {@code $}; after {@code ${}, a name and an operator; arguments are text or
 * nested {@code ${...}}; {@code \/} and {@code \\} escape inside a replacement.
 */
final class EnvSubstParser {
  private static final String BAD = "bad substitution";

  /** A parsed piece: literal text, or a variable with an operator and its arguments. */
  sealed interface Node permits Text, Var {}

  record Text(String value) implements Node {}

  record Var(String name, String op, List<Node> args) implements Node {}

  private final String src;
  private int pos;

  private EnvSubstParser(String src) {
    this.src = src;
  }

  /** The pieces of a text. */
  static List<Node> parse(String text) throws EnvSubst.SyntaxError {
    return new EnvSubstParser(text).sequence();
  }

  private List<Node> sequence() throws EnvSubst.SyntaxError {
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
  private Node function() throws EnvSubst.SyntaxError {
    if (peek() == '#') {
      pos++;
      String name = identifier();
      if (name.isEmpty()) {
        throw new EnvSubst.SyntaxError(BAD);
      }
      closingBrace();
      return new Var(name, "#", List.of());
    }
    String name = identifier();
    if (name.isEmpty()) {
      throw new EnvSubst.SyntaxError("unable to parse variable name");
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
      default -> throw new EnvSubst.SyntaxError("missing closing brace");
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

  private void closingBrace() throws EnvSubst.SyntaxError {
    if (peek() != '}') {
      throw new EnvSubst.SyntaxError(BAD);
    }
    pos++;
  }

  /** {@code ${var:=a${b}c}}: any number of text and variable parts up to the closing brace. */
  private Node defaults(String name, String op) throws EnvSubst.SyntaxError {
    List<Node> args = new ArrayList<>();
    while (peek() != '}') {
      args.add(parameter(ch -> ch != '}', false));
    }
    pos++;
    return new Var(name, op, args);
  }

  /** {@code ${var:offset}} or {@code ${var:offset:length}}. */
  private Node substring(String name) throws EnvSubst.SyntaxError {
    List<Node> args = new ArrayList<>();
    args.add(parameter(ch -> ch != ':' && ch != '}', false));
    if (peek() == '}') {
      pos++;
      return new Var(name, ":", args);
    }
    if (peek() != ':') {
      throw new EnvSubst.SyntaxError(BAD);
    }
    while (peek() == ':') {
      pos++;
    }
    args.add(parameter(ch -> ch != '}', false));
    closingBrace();
    return new Var(name, ":", args);
  }

  /** {@code ${var/pattern/replacement}} and its variants; {@code \/} and {@code \\} escape. */
  private Node replace(String name, String op) throws EnvSubst.SyntaxError {
    List<Node> args = new ArrayList<>();
    args.add(parameter(ch -> ch != '/', true));
    if (peek() != '/') {
      throw new EnvSubst.SyntaxError(BAD);
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
  private Node parameter(IntPredicate accepted, boolean escapes) throws EnvSubst.SyntaxError {
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
      throw new EnvSubst.SyntaxError("unable to parse substitution within function");
    }
    return new Text(text.toString());
  }
}
