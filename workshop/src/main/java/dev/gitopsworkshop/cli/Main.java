package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.Threads;
import dev.gitopsworkshop.logging.LabLog;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point of the runnable jar; the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // setting up logging (logback, and java.util.logging's bridge to it) and reading the commands'
    // annotations (picocli) take some 80 ms each: side by side, and the command runs once both are done
    Thread logging = new Thread(LabLog::captureJavaUtilLogging, "log-setup");
    logging.start();
    CommandLine cli = asciiLocale() ? CommandLineFactory.create(utf8(System.out), utf8(System.err)) : CommandLineFactory.create();
    Threads.joinUninterruptibly(logging);
    int status = cli.execute(args);
    NativeWaiters.endHttpSelectors();
    System.exit(status);
  }

  /**
   * A shell without a locale (LANG unset: the C locale, as after {@code env -i}) makes Java write
   * ASCII, and every ✔ ◎ ► of the tool's output a '?'. Terminals speak UTF-8 today: the tool writes
   * that then.
   */
  private static boolean asciiLocale() {
    return Charset.forName(System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name())).equals(StandardCharsets.US_ASCII);
  }

  private static PrintWriter utf8(java.io.PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
