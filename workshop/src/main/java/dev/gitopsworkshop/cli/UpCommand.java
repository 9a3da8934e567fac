package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.lab.Foreground;
import dev.gitopsworkshop.lab.Lab;
import dev.gitopsworkshop.projector.Projector;
import dev.gitopsworkshop.state.PrintedCommands;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop up}: the whole lab in the foreground, for people who drive it by hand. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the lab (a Kubernetes cluster and the Git server with the workshop repository) and "
          + "keep it running until Ctrl-C or SIGTERM.",
      "It writes <data-dir>/kubeconfig and <data-dir>/lab.json, prints the commands to use them, and the "
          + "URL of the projector view: a live page for the room (Git history, Flux, pods, events)."
    })
public final class UpCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDirOption;
  @Mixin GitServeCommand.GitServerOptions git;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GitRemoteOptions gitRemote;
  @Mixin RoomJoinOptions room;

  @Option(names = "--api-port", paramLabel = "PORT", converter = OptionValues.Port.class,
      description = "With the embedded cluster: its API server's port. Default: the one this data dir used last time, else a free one.")
  Integer apiPort;

  @Option(names = "--pod-start-delay", paramLabel = "MS", defaultValue = "150", converter = OptionValues.DelayMillis.class,
      description = "How long a simulated container takes to start, in milliseconds (default: ${DEFAULT-VALUE}).")
  long podStartDelay;

  @Option(names = "--nudge", paramLabel = "on|off", defaultValue = "on", arity = "1",
      converter = OnOff.class,
      description = "On a push or on drift, ask Flux to reconcile at once, as 'flux reconcile' does (default: on). "
          + "off: Flux keeps to its intervals.")
  boolean nudge;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();
    Lab lab = Lab.start(
        new Lab.Spec(dataDirOption.dataDir(), clusterOptions.mode(), git.bind, git.port, git.maxPushMb * 1024 * 1024, apiPort,
            podStartDelay, nudge, clusterOptions.choice()).withGitRemote(gitRemote.remote()).withRoom(room.seat(gitRemote)),
        line -> err.println(Console.action(line)));
    err.println(Console.success(String.format("lab ready in %.1f s: %s cluster at %s, %s",
        (System.nanoTime() - started) / 1e9, lab.cluster().mode().label(), lab.cluster().apiUrl(), CloneCommand.where(lab.git()))));
    out.println(PrintedCommands.exportKubeconfig(lab.cluster().kubeconfig().toString()));
    out.println(CloneCommand.of(lab.git(), lab.dataDir()));
    out.flush();
    err.println(Console.action("projector view for the room: " + Projector.url(lab.console().url())));
    err.println(Console.waiting("running until Ctrl-C (the lab is described in " + lab.dataDir().labJson() + ")"));
    err.flush();
    Foreground.runUntilSignalled(() -> {
      lab.close();
      err.println();
      // the command last and bare: copied from the screen, it runs as it is (quotes around it would
      // nest with a quoted data dir's)
      err.println(Console.action("stopped: the lab is down; its data dir keeps the Git history, the credentials and your clone; "
          + "to start it again with the same Git URL and history: " + PrintedCommands.workshop(lab.dataDir(), "up")));
      err.flush();
    });
    return 0;
  }
}
