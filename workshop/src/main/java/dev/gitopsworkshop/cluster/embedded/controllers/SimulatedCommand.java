package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a simulated container does, read from its {@code command} and {@code args}, since the
 * embedded cluster runs no image. A command made only of {@code echo}, {@code sleep}, {@code exit},
 * {@code true} and {@code false} (alone or as {@code sh -c "..."}, joined with {@code ;}, {@code &&}
 * or new lines) is followed: its echo lines are its output, its sleeps its run time, its exit its
 * exit code. Anything else is a container whose program the simulation cannot know: it serves
 * forever when its pod restarts it always (a Deployment's server), and otherwise runs for a second
 * and exits 0 (a Job's task, {@code kubectl run --restart=Never}).
 */
record SimulatedCommand(boolean known, long runMillis, int exitCode, List<String> output) {
  static final long UNKNOWN_TASK_MILLIS = 1000;
  private static final List<String> SHELLS = List.of("sh", "bash", "ash", "dash", "zsh");

  /** Whether the container ends by itself (and when), given its pod's restart policy. */
  boolean endless(String restartPolicy) {
    return !known && "Always".equals(restartPolicy);
  }

  long millis() {
    return known ? runMillis : UNKNOWN_TASK_MILLIS;
  }

  static SimulatedCommand of(JsonNode container) {
    List<String> argv = new ArrayList<>();
    container.path("command").forEach(a -> argv.add(a.asText()));
    container.path("args").forEach(a -> argv.add(a.asText()));
    if (argv.isEmpty()) {
      return unknown();
    }
    String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
    if (SHELLS.contains(program)) {
      if (argv.size() >= 3 && argv.get(1).equals("-c")) {
        return script(argv.get(2));
      }
      return unknown();
    }
    return run(List.of(argv), List.of("end"));
  }

  private static SimulatedCommand unknown() {
    return new SimulatedCommand(false, 0, 0, List.of());
  }

  /** A shell script of simple commands; unknown as soon as it holds anything else. */
  static SimulatedCommand script(String script) {
    List<List<String>> commands = new ArrayList<>();
    List<String> joins = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < script.length(); i++) {
      char ch = script.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else if (ch == '\\' && quote == '"' && i + 1 < script.length()) {
          word.append(script.charAt(++i));
        } else {
          word.append(ch);
        }
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        inWord = true;
      } else if (ch == ' ' || ch == '\t') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (ch == ';' || ch == '\n' || (ch == '&' && i + 1 < script.length() && script.charAt(i + 1) == '&')) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (!words.isEmpty()) {
          commands.add(words);
          joins.add(ch == '&' ? "and" : "then");
          words = new ArrayList<>();
        }
        if (ch == '&') {
          i++;
        }
      } else if ("|<>$`(){}&*?".indexOf(ch) >= 0) {
        return unknown();
      } else {
        word.append(ch);
        inWord = true;
      }
    }
    if (quote != 0) {
      return unknown();
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (!words.isEmpty()) {
      commands.add(words);
      joins.add("end");
    }
    return commands.isEmpty() ? new SimulatedCommand(true, 0, 0, List.of()) : run(commands, joins);
  }

  private static SimulatedCommand run(List<List<String>> commands, List<String> joins) {
    long millis = 0;
    int status = 0;
    List<String> output = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      List<String> c = commands.get(i);
      String name = c.get(0).substring(c.get(0).lastIndexOf('/') + 1);
      switch (name) {
        case "echo" -> {
          List<String> rest = c.subList(1, c.size());
          if (!rest.isEmpty() && rest.get(0).equals("-n")) {
            rest = rest.subList(1, rest.size());
          }
          output.add(String.join(" ", rest));
          status = 0;
        }
        case "sleep" -> {
          if (c.size() != 2) {
            return unknown();
          }
          long m = seconds(c.get(1));
          if (m < 0) {
            return unknown();
          }
          millis += m;
          status = 0;
        }
        case "true", ":" -> status = 0;
        case "false" -> status = 1;
        case "exit" -> {
          try {
            int code = c.size() > 1 ? Integer.parseInt(c.get(1)) & 0xff : status;
            return new SimulatedCommand(true, millis, code, output);
          } catch (NumberFormatException e) {
            return unknown();
          }
        }
        default -> {
          return unknown();
        }
      }
      if (status != 0 && joins.get(i).equals("and")) {
        return new SimulatedCommand(true, millis, status, output);
      }
    }
    return new SimulatedCommand(true, millis, status, output);
  }

  /** {@code sleep}'s argument in milliseconds (5, 0.5, 10s, 2m, 1h); -1 when not a duration. */
  private static long seconds(String arg) {
    double unit = 1000;
    String n = arg;
    if (arg.endsWith("s") || arg.endsWith("m") || arg.endsWith("h") || arg.endsWith("d")) {
      unit = switch (arg.charAt(arg.length() - 1)) {
        case 'm' -> 60_000;
        case 'h' -> 3_600_000;
        case 'd' -> 86_400_000;
        default -> 1000;
      };
      n = arg.substring(0, arg.length() - 1);
    }
    if (n.equals("infinity")) {
      return Long.MAX_VALUE / 4;
    }
    try {
      return (long) (Double.parseDouble(n) * unit);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
