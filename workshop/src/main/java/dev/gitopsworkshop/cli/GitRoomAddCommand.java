package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.Room;
import dev.gitopsworkshop.lab.ProjectContent;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workshop git room add NAME...}: a seeded repository and an account per participant. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Creates NAME.git (seeded like workshop.git) and an account NAME with its own password "
          + "for each participant; existing participants are kept as they are.",
      "A running server accepts the new accounts at once."
    })
public final class GitRoomAddCommand implements Runnable {
  @Mixin DataDirOption dataDirOption;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Participant names.")
  List<String> names;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    List<Room.Seat> seats =
        Room.of(dataDirOption.dataDir()).add(names, ProjectContent.locate(), null);
    PrintWriter err = spec.commandLine().getErr();
    for (Room.Seat seat : seats) {
      err.println(
          seat.created()
              ? Console.success("added " + seat.name())
              : Console.waiting(seat.name() + " was already there (kept)"));
    }
    err.flush();
    RoomTable.print(spec.commandLine().getOut(), seats, false);
  }
}
