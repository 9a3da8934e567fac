package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.logging.LabLog;

/** Entry point of the runnable jar; the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LabLog.captureJavaUtilLogging();
    System.exit(CommandLineFactory.create().execute(args));
  }
}
