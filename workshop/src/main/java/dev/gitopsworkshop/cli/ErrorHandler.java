package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import java.io.PrintWriter;
import java.net.BindException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure into one line on stderr (plus a hint line when there is one) and an exit code.
 * The stack trace is shown only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    boolean verbose = WorkshopCommand.isVerbose(parsed);
    WorkshopException known = explain(ex);
    err.println(Console.failure("error: " + known.getMessage()));
    if (known.hint() != null) {
      err.println("  " + known.hint());
    }
    if (verbose) {
      ex.printStackTrace(err);
    } else if (!(ex instanceof WorkshopException)) {
      err.println("  (run with --verbose for details)");
    }
    err.flush();
    return known.exitCode();
  }

  /** Maps an exception to what the user should read: known root causes in plain words. */
  static WorkshopException explain(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof WorkshopException we) {
        return we;
      }
      if (t instanceof BindException) {
        return new WorkshopException(
            "a port is already in use (" + t.getMessage() + ")",
            "stop what uses it, or choose another port with --port");
      }
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    return new WorkshopException(message, null, WorkshopException.FAILURE, ex);
  }

  /** Bad flags: one line naming the problem, then where to read more. */
  static final class ParameterErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cli = ex.getCommandLine();
      PrintWriter err = cli.getErr();
      err.println(Console.failure("error: " + ex.getMessage()));
      if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
        String typed = unmatched.getUnmatched().get(0);
        java.util.Set<String> names = typed.startsWith("-") ? new java.util.TreeSet<>(cli.getCommandSpec().optionsMap().keySet())
            : cli.getSubcommands().keySet();
        java.util.List<String> close = Suggestions.closest(typed, names);
        if (!close.isEmpty()) {
          err.println("  did you mean: " + String.join(" or ", close.stream()
              .map(n -> typed.startsWith("-") ? n : cli.getCommandSpec().qualifiedName() + " " + n).toList()) + "?");
        }
      }
      err.println("  see '" + cli.getCommandSpec().qualifiedName() + " --help'");
      err.flush();
      return WorkshopException.USAGE;
    }
  }
}
