package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.Room;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop git room list}: every participant's repository URL and password. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists the room's participants with their repository URL and password.")
public final class GitRoomListCommand implements Runnable {
  @Mixin DataDirOption dataDirOption;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default ${DEFAULT-VALUE}).")
  RoomTable.Format output;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    RoomTable.print(
        spec.commandLine().getOut(),
        Room.of(dataDirOption.dataDir()).list(),
        output == RoomTable.Format.JSON);
  }
}
