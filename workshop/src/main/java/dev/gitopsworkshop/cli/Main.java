package dev.gitopsworkshop.cli;

/** Entry point of the runnable jar; the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(CommandLineFactory.create().execute(args));
  }
}
