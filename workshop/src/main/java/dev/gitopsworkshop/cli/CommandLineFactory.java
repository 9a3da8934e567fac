package dev.gitopsworkshop.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the one {@link CommandLine} that {@link Main} and the tests use. */
public final class CommandLineFactory {
  private CommandLineFactory() {}

  public static CommandLine create() {
    return create(null, null);
  }

  /** A command line writing to the given streams (null: the process's own). */
  public static CommandLine create(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new WorkshopCommand());
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(new ErrorHandler.ParameterErrors());
    return cli;
  }
}
