package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.demo.Timeline;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Parent of the instructor's demos; it only lists them. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Instructor demos on a running lab (after tutorial step 4: podinfo synced), with a live timeline "
          + "whose times count from the act.",
      "They work through the cluster's API and the lab's Git server, so they show the same on every cluster mode."
    },
    subcommands = {DemoDriftCommand.class, DemoDisasterCommand.class, DemoRollbackCommand.class})
public final class DemoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A demo's timeline printed on stdout, each kind of line with its symbol. */
  static Timeline timeline(PrintWriter out) {
    return new Timeline((kind, text) -> {
      out.println(switch (kind) {
        case ACT -> Console.action(text);
        case SEEN -> "  " + text;
        case DONE -> Console.success(text);
        case WAIT -> Console.waiting(text);
        case FAIL -> Console.failure(text);
        case HEADING -> text.isEmpty() ? "" : Console.bold(text);
      });
      out.flush();
    });
  }
}
