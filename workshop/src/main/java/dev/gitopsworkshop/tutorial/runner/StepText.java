package dev.gitopsworkshop.tutorial.runner;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Help.Ansi;

/**
 * A step's Markdown for a terminal: headings and {@code **strong**} in bold, {@code `code`} and
 * code blocks in cyan, code blocks indented, Markdown's own marks left out. Colour only where
 * {@code ansi} allows it (picocli's AUTO: not when output is piped).
 */
public final class StepText {
  private static final Pattern INLINE = Pattern.compile("\\*\\*(.+?)\\*\\*|`([^`]+)`");

  private StepText() {}

  /** {@code markdown} with the lab's values already filled in. */
  public static String render(String markdown, Ansi ansi) {
    StringBuilder out = new StringBuilder();
    boolean code = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        code = !code;
        continue;
      }
      if (code) {
        out.append("    ").append(ansi.string("@|cyan " + escape(line) + "|@"));
      } else if (line.startsWith("#")) {
        out.append(ansi.string("@|bold " + escape(line.replaceFirst("^#+\\s*", "")) + "|@"));
      } else {
        out.append(inline(line, ansi));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String inline(String line, Ansi ansi) {
    Matcher m = INLINE.matcher(line);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(line, last, m.start());
      out.append(m.group(1) != null ? ansi.string("@|bold " + escape(m.group(1)) + "|@") : ansi.string("@|cyan " + escape(m.group(2)) + "|@"));
      last = m.end();
    }
    return out.append(line.substring(last)).toString();
  }

  /** Text that could close picocli's markup early is kept as text. */
  private static String escape(String text) {
    return text.replace("|@", "| @");
  }
}
