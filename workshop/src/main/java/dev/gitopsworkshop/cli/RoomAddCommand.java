package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.Account;
import dev.gitopsworkshop.git.Room;
import dev.gitopsworkshop.state.ProjectContent;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workshop room add NAME...}. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Add participants: a repository (seeded with the workshop) and an account each; names already "
          + "there keep theirs. It prints their join lines.",
      "Works while the room serves (the server sees them at once) or before it starts."
    })
public final class RoomAddCommand implements Callable<Integer> {
  @Mixin RoomDataDirOption dataDir;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Participants' names (lower case, digits, - or _).")
  List<String> names;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Room room = Room.of(dataDir.dataDir());
    String url = RoomJoinLines.roomUrl(dataDir.dataDir());
    List<Account> added = room.add(names, ProjectContent.locate(), url == null ? room.baseUrl("127.0.0.1") : url);
    RoomJoinLines.print(spec.commandLine().getOut(), added, url, false);
    spec.commandLine().getErr().println(Console.success(added.size() + " participant(s) ready; each can use only their own repository"
        + (url == null ? " (the join lines get the room's address once 'room serve' has run)" : "")));
    return 0;
  }
}
