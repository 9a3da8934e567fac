package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.lab.Foreground;
import dev.gitopsworkshop.lab.GitOnly;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop git serve}: only the Git server, in the foreground. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run only the lab's Git server, in the foreground, until Ctrl-C or SIGTERM.",
      "The workshop repository (workshop.git, branch main) is created on first start. "
          + "Once the server accepts connections, <data-dir>/lab.json holds its URL and the "
          + "participant's credentials."
    })
public final class GitServeCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDirOption;
  @Mixin GitServerOptions serverOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DataDir dir = dataDirOption.dataDir();
    PrintWriter err = spec.commandLine().getErr();
    GitOnly served = GitOnly.start(serverOptions.toOptions(dir, ProjectContent.locate(), null));
    GitServer git = served.git();
    git.repairs().forEach(line -> err.println(Console.action(line)));
    PrintWriter out = spec.commandLine().getOut();
    err.println(Console.success("Git server listening on " + git.baseUrl()));
    out.println("Clone the workshop repository with:");
    out.println("  " + CloneCommand.of(git, dir));
    out.flush();
    err.println(Console.waiting("serving until Ctrl-C (the lab's state is in " + dir.root() + ")"));
    err.flush();
    Foreground.runUntilSignalled(served::close);
    return 0;
  }

  /** Options shared by every command that starts the Git server. */
  public static final class GitServerOptions {
    @Option(
        names = "--port",
        paramLabel = "PORT",
        converter = OptionValues.Port.class,
        description = "Git server port. Default: the one this data dir used last time, else a free one.")
    Integer port;

    @Option(
        names = "--bind",
        paramLabel = "ADDRESS",
        converter = OptionValues.BindAddress.class,
        defaultValue = "127.0.0.1",
        description = "Address to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 serves a whole room.")
    String bind;

    @Option(
        names = "--max-push-size",
        paramLabel = "MB",
        converter = OptionValues.PushSizeMiB.class,
        defaultValue = "100",
        description = "Refuse a push whose pack is larger than this many MiB (default: ${DEFAULT-VALUE}).")
    long maxPushMb;

    GitServer.Options toOptions(DataDir dir, ProjectContent content, String clusterGitUrl) {
      return new GitServer.Options(dir, bind, port, maxPushMb * 1024 * 1024, content, clusterGitUrl);
    }
  }
}
