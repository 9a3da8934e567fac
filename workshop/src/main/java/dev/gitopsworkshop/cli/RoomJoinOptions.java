package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.room.RoomSeat;
import picocli.CommandLine.Option;

/** {@code --room URL --name NAME --password PASS}: a participant's join line, on {@code up} and {@code run}. */
public final class RoomJoinOptions {
  @Option(names = "--room", paramLabel = "URL",
      description = "Join the instructor's room at this address (from your join line): the lab uses your repository "
          + "in the room as its Git, and the room's board shows your steps.")
  String url;

  @Option(names = "--name", paramLabel = "NAME", description = "With --room: your name in the room.")
  String name;

  @Option(names = "--password", paramLabel = "PASSWORD", description = "With --room: your password in the room.")
  String password;

  /** The seat, or null without {@code --room}; a usage error for what does not fit. */
  public RoomSeat seat(GitRemoteOptions git) {
    if (url == null) {
      if (name != null || password != null) {
        throw WorkshopException.usage("--name and --password are for --room", "add --room URL (your join line has all three)");
      }
      return null;
    }
    if (git.url != null) {
      throw WorkshopException.usage("--room brings its own Git (your repository in the room), so --git-remote does not go with it",
          "leave --git-remote out");
    }
    if (name == null || password == null) {
      throw WorkshopException.usage("--room needs --name and --password", "paste your whole join line (the instructor has it: 'room list')");
    }
    return new RoomSeat(url, name, password);
  }
}
