package dev.gitopsworkshop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level command: lists the verbs and holds the options every verb shares. */
@Command(
    name = "workshop",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A GitOps tutorial that runs itself and checks itself.",
      "",
      "Starts a lab on this machine (a Kubernetes cluster, a Git server holding the workshop "
          + "repository, and the Flux sync operator) and walks through the tutorial's steps, "
          + "checking each one on the live system."
    },
    subcommands = {RunCommand.class, StepsCommand.class, CheckCommand.class, ResetCommand.class, UpCommand.class, DoctorCommand.class,
      PrefetchCommand.class, StatusCommand.class, DemoCommand.class, RegistryCommand.class, GitCommand.class, SlidesCommand.class,
      CommandLine.HelpCommand.class},
    footer = {"", "Run 'workshop COMMAND --help' for what a command does and its options."})
public final class WorkshopCommand implements Runnable {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show details of what happens (the lab's log, kept in DIR/lab.log, on stderr too), and stack traces on errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Whether {@code --verbose} was given anywhere on the command line. */
  static boolean isVerbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
