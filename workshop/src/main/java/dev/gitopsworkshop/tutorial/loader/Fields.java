package dev.gitopsworkshop.tutorial.loader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Typed access to a YAML mapping, every problem reported at its line. */
final class Fields {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m)");
  private final Path file;
  private final MappingNode map;
  private final int offset;

  Fields(Path file, MappingNode map, int offset) {
    this.file = file;
    this.map = map;
    this.offset = offset;
  }

  static int line(Node n) {
    return n.getStartMark().getLine() + 2;
  }

  Node node(String key) {
    for (NodeTuple t : map.getValue()) {
      if (key.equals(((ScalarNode) t.getKeyNode()).getValue())) {
        return t.getValueNode();
      }
    }
    return null;
  }

  boolean has(String key) {
    return node(key) != null;
  }

  /** The line the mapping starts at. */
  int line() {
    return map.getStartMark().getLine() + offset;
  }

  int lineOf(String key) {
    Node n = node(key);
    return n == null ? map.getStartMark().getLine() + offset : line(n);
  }

  String string(String key) {
    Node n = node(key);
    if (n == null) {
      throw new StepFileException(file, line(), "missing field '" + key + "'");
    }
    return scalar(file, n, "'" + key + "'");
  }

  int integer(String key) {
    String v = string(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new StepFileException(file, lineOf(key), "'" + key + "' must be a whole number, not '" + v + "'");
    }
  }

  List<Node> sequence(String key) {
    Node n = node(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode seq)) {
      throw new StepFileException(file, line(n), "'" + key + "' must be a list");
    }
    return seq.getValue();
  }

  static String scalar(Path file, Node n, String what) {
    if (!(n instanceof ScalarNode s)) {
      throw new StepFileException(file, line(n), what + " must be a single value");
    }
    return s.getValue();
  }

  /** A duration such as {@code 90s} or {@code 3m}. */
  Duration duration(String key) {
    String text = string(key);
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new StepFileException(file, lineOf(key), "'" + key + "' must be a duration such as 90s or 3m, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return m.group(2).equals("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
  }

  boolean bool(String key) {
    String text = string(key);
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new StepFileException(file, lineOf(key), "'" + key + "' must be true or false, not '" + text + "'");
    };
  }

  /** A regular expression (Java syntax), refused at load time when it does not compile. */
  Pattern pattern(String key) {
    String text = string(key);
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new StepFileException(file, lineOf(key), "'" + key + "' is not a regular expression: " + e.getDescription());
    }
  }

  MappingNode map() {
    return map;
  }

  Path file() {
    return file;
  }
}
