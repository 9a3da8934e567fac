package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitopsworkshop.git.Account;
import dev.gitopsworkshop.git.Room;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.ProjectContent;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workshop git room}: one repository and one account per participant. */
@Command(
    name = "room",
    mixinStandardHelpOptions = true,
    description = "Serve a room: one repository and one account per participant (see 'git serve --bind').",
    subcommands = {GitRoomCommand.Add.class, GitRoomCommand.ListAccounts.class})
public final class GitRoomCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static String base(Room room, DataDirOption dir) {
    if (LabFile.exists(dir.dataDir())) {
      String url = LabFile.read(dir.dataDir()).gitUrl();
      if (url != null) {
        return url.substring(0, url.lastIndexOf('/') + 1);
      }
    }
    return room.baseUrl("127.0.0.1");
  }

  private static void print(PrintWriter out, List<Account> accounts, String base, boolean json) throws Exception {
    if (json) {
      ArrayNode array = Mappers.JSON.createArrayNode();
      for (Account a : accounts) {
        array.addObject().put("name", a.username()).put("url", base + a.repository()).put("password", a.password());
      }
      out.println(Mappers.PRETTY.writeValueAsString(array));
      return;
    }
    out.printf("%-20s %-50s %s%n", "NAME", "URL", "PASSWORD");
    for (Account a : accounts) {
      out.printf("%-20s %-50s %s%n", a.username(), base + a.repository(), a.password());
    }
  }

  /** {@code workshop git room add NAME...}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Create a repository and an account for each participant named.")
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Participants' names (lower case, digits, - or _).")
    List<String> names;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Room room = Room.of(dataDir.dataDir());
      String base = base(room, dataDir);
      List<Account> added = room.add(names, ProjectContent.locate(), base);
      print(spec.commandLine().getOut(), added, base, false);
      spec.commandLine().getErr().println(Console.success(added.size() + " participant(s) ready; each can use only their own repository"));
      return 0;
    }
  }

  /** {@code workshop git room list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the room's participants, URLs and passwords.")
  static final class ListAccounts implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json")
    String output = "table";

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Room room = Room.of(dataDir.dataDir());
      print(spec.commandLine().getOut(), room.accounts(), base(room, dataDir), "json".equalsIgnoreCase(output));
      return 0;
    }
  }
}
