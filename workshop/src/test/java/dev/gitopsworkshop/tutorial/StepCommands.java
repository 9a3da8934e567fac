package dev.gitopsworkshop.tutorial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands a step's text tells the participant to type: the lines of its {@code ```bash}
 * blocks, continuation lines joined, placeholders filled in. Watches ({@code -w}) are left out:
 * they run until Ctrl-C and the runner shows the same.
 */
final class StepCommands {
  private StepCommands() {}

  static List<String> of(Path stepFile, Map<String, String> values) throws IOException {
    List<String> out = new ArrayList<>();
    boolean inBash = false;
    StringBuilder pending = new StringBuilder();
    String body = Files.readString(stepFile);
    body = body.substring(body.indexOf("\n---", 3) + 4);
    for (String line : body.split("\n")) {
      if (line.startsWith("```")) {
        inBash = !inBash && line.strip().equals("```bash");
        continue;
      }
      if (!inBash || line.isBlank()) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      String command = fill(pending + line.strip(), values);
      pending.setLength(0);
      if (!command.matches(".*\\s-w(\\s.*)?")) {
        out.add(command);
      }
    }
    return out;
  }

  private static String fill(String text, Map<String, String> values) {
    String filled = text;
    for (var e : values.entrySet()) {
      filled = filled.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    if (filled.contains("{{")) {
      throw new AssertionError("a placeholder the test does not know in: " + text);
    }
    return filled.replaceAll(" +", " ");
  }
}
