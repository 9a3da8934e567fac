package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.logging.LabLog;
import dev.gitopsworkshop.state.DataDir;
import java.io.PrintWriter;
import java.nio.file.Files;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

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
    cli.setExecutionStrategy(CommandLineFactory::execute);
    return cli;
  }

  /**
   * Runs the command the user named, after pointing the log where it belongs: on the console with
   * {@code --verbose}, and into {@code <data-dir>/lab.log} when the data dir already holds a lab's
   * state (a lab that starts there sends it there itself).
   */
  private static int execute(ParseResult parsed) {
    LabLog.verbose(WorkshopCommand.isVerbose(parsed));
    ParseResult leaf = parsed;
    while (leaf.subcommand() != null) {
      leaf = leaf.subcommand();
    }
    for (CommandSpec mixin : leaf.commandSpec().mixins().values()) {
      if (mixin.userObject() instanceof DataDirOption option) {
        DataDir dir = option.dataDir();
        if (Files.isRegularFile(dir.labJson()) || Files.isDirectory(dir.git())) {
          LabLog.writeTo(dir.root());
        }
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }
}
