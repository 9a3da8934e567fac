package dev.gitopsworkshop.cli;

import picocli.CommandLine.Help.Ansi;

/**
 * The small, fixed vocabulary of progress lines: an action under way, a success, a failure, a wait.
 * Colour through picocli's markup, which turns itself off when the output is not a terminal.
 */
public final class Console {
  private Console() {}

  public static String action(String text) {
    return render("@|cyan ►|@ ", text);
  }

  public static String success(String text) {
    return render("@|green ✔|@ ", text);
  }

  public static String failure(String text) {
    return render("@|red ✗|@ ", text);
  }

  public static String waiting(String text) {
    return render("@|yellow ◎|@ ", text);
  }

  /** Whether standard output is a terminal (a person reads it) rather than a pipe or a file. */
  public static boolean isTerminal() {
    return System.console() != null;
  }

  public static String bold(String text) {
    return Ansi.AUTO.string("@|bold " + escape(text) + "|@");
  }

  private static String render(String symbol, String text) {
    return Ansi.AUTO.string(symbol) + text;
  }

  private static String escape(String text) {
    return text.replace("|@", "| @");
  }
}
