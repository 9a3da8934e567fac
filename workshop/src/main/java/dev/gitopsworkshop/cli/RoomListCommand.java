package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.git.Room;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop room list [-o json]}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Print each participant's join line; with -o json, [{name, url, password, room, join}] for scripts "
        + "(url: the participant's repository; room: the room's address).")
public final class RoomListCommand implements Callable<Integer> {
  @Mixin RoomDataDirOption dataDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json")
  String output = "table";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("table") && !output.equals("json")) {
      throw WorkshopException.usage("-o " + output + " is not a format 'room list' prints", "use -o json, or leave -o out for the table");
    }
    if (!java.nio.file.Files.exists(dataDir.dataDir().resolve("credentials.json"))) {
      throw new WorkshopException("there is no room in " + dataDir.dataDir().root(),
          "add participants with 'scripts/workshop room add NAME...', or point --data-dir at the room's folder");
    }
    Room room = Room.of(dataDir.dataDir());
    RoomJoinLines.print(spec.commandLine().getOut(), room.accounts(), RoomJoinLines.roomUrl(dataDir.dataDir()), output.equals("json"));
    return 0;
  }
}
