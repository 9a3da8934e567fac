package dev.gitopsworkshop.cli;

import picocli.CommandLine.Command;

/** Parent of the Git server's verbs; it only lists them. */
@Command(
    name = "git",
    mixinStandardHelpOptions = true,
    description = "The lab's Git server on its own (the workshop repository, room accounts).",
    subcommands = {GitServeCommand.class, GitRoomCommand.class})
public final class GitCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
