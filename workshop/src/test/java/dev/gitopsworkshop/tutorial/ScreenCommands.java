package dev.gitopsworkshop.tutorial;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands a guided step shows, read from the terminal as a participant reads them: the lines
 * of its code blocks (which the runner indents by four spaces) between the step's header and its
 * keys line, with a line ending in a backslash joined to the next.
 */
final class ScreenCommands {
  private ScreenCommands() {}

  /** Fails when the step's header is not on {@code screen}: its text did not fit. */
  static List<String> of(String screen, int step) {
    List<String> lines = screen.lines().toList();
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("──── step " + step + " ────")) {
        header = i;
      }
    }
    if (header < 0) {
      throw new AssertionError("step " + step + "'s header is not on the screen (its text does not fit):\n" + screen);
    }
    List<String> commands = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (int i = header + 1; i < lines.size() && !lines.get(i).startsWith("(keys:"); i++) {
      String line = lines.get(i);
      if (!line.startsWith("    ")) {
        continue;
      }
      String text = line.substring(4).stripTrailing();
      if (text.endsWith("\\")) {
        pending.append(text, 0, text.length() - 1);
        continue;
      }
      commands.add(pending + text);
      pending.setLength(0);
    }
    return commands;
  }
}
