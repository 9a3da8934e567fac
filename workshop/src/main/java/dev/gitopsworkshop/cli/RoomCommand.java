package dev.gitopsworkshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Parent of the instructor's room verbs; it only lists them. */
@Command(
    name = "room",
    mixinStandardHelpOptions = true,
    description = {
      "The instructor's room: one Git repository and account per participant, and a live board of "
          + "who is on which step.",
      "Each participant runs a lab on their own laptop, joined to the room with the line 'room list' "
          + "prints; their steps show on the board at http://HOST:PORT/room."
    },
    subcommands = {RoomServeCommand.class, RoomAddCommand.class, RoomListCommand.class})
public final class RoomCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
