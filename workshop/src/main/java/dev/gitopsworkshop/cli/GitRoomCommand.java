package dev.gitopsworkshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Parent of the room verbs; it only lists them. */
@Command(
    name = "room",
    mixinStandardHelpOptions = true,
    description = {
      "One repository and one account per participant, for an instructor serving a room.",
      "Serve it with 'workshop git serve --bind 0.0.0.0'."
    },
    subcommands = {GitRoomAddCommand.class, GitRoomListCommand.class})
public final class GitRoomCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
