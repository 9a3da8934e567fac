package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.Account;
import dev.gitopsworkshop.lab.Foreground;
import dev.gitopsworkshop.room.RoomServer;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop room serve}: the room's Git and its board, in the foreground. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the room until Ctrl-C or SIGTERM: each participant's repository (Git over HTTP, their "
          + "own account) and the board at http://HOST:PORT/room, live, for the projector "
          + "(its JSON at /room/state).",
      "It prints the participants' join lines ('room add' adds more while it runs). Participants' "
          + "labs report each step to the room; a lab that cannot reach it keeps its events until "
          + "it can."
    })
public final class RoomServeCommand implements Callable<Integer> {
  @Mixin RoomDataDirOption dataDir;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, every network of this machine; 127.0.0.1 keeps the room on it).")
  String bind;

  @Option(names = "--port", paramLabel = "PORT",
      description = "The room's port. Default: the one this data dir used last time, else a free one.")
  Integer port;

  @Option(names = "--url", paramLabel = "URL",
      description = "The room's address as the participants' laptops reach it (http://HOST:PORT/). "
          + "Default: this machine's network address and the port.")
  String url;

  @Option(names = "--max-push-size", paramLabel = "MB", defaultValue = "100",
      description = "Refuse a push whose pack is larger than this many MiB (default: ${DEFAULT-VALUE}).")
  long maxPushMb;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProjectContent content = ProjectContent.locate();
    RoomServer room = RoomServer.start(new RoomServer.Options(dataDir.dataDir(), bind, port, url,
        maxPushMb * 1024 * 1024, content, StepLoader.load(content.steps())));
    List<Account> participants = room.participants();
    err.println(Console.success("room serving at " + room.url() + " (the board: " + room.boardUrl() + ")"));
    if (participants.isEmpty()) {
      err.println(Console.action("no participants yet: add them with 'scripts/workshop room add NAME...' (it prints their join lines)"));
    } else {
      out.println("Each participant joins with their line (again with 'scripts/workshop room list'):");
      RoomJoinLines.print(out, participants, room.url(), false);
    }
    err.println(Console.waiting("serving until Ctrl-C (the room's state is in " + dataDir.dataDir().root() + ")"));
    err.flush();
    Foreground.runUntilSignalled(room::close);
    return 0;
  }
}
