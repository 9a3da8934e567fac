package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.git.GitServerOptions;
import dev.gitopsworkshop.lab.DataDir;
import dev.gitopsworkshop.lab.LabFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop git serve}: the Git server in the foreground until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the lab's Git server in the foreground until Ctrl-C.",
      "Writes lab.json with the workshop repository's URL and credentials once it accepts "
          + "connections, and prints a clone command."
    })
public final class GitServeCommand implements java.util.concurrent.Callable<Integer> {
  @Mixin DataDirOption dataDirOption;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on. Default: the one used last time with this data dir, else a free one.")
  Integer port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = GitServerOptions.LOOPBACK,
      description = "Address to listen on (default ${DEFAULT-VALUE}); 0.0.0.0 serves a room.")
  String bind;

  @Option(
      names = "--max-push-size",
      paramLabel = "SIZE",
      defaultValue = "100MiB",
      converter = ByteSize.class,
      description = "Largest push accepted, e.g. 500KiB, 100MiB, 1GiB (default ${DEFAULT-VALUE}).")
  long maxPushSize;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    DataDir dir = dataDirOption.dataDir();
    PrintWriter err = spec.commandLine().getErr();
    err.println(Console.action("starting the Git server (data in " + dir.root() + ")"));
    err.flush();
    GitServer server =
        GitServer.start(
            GitServerOptions.defaults(dir).withBindAddress(bind).withPort(port).withMaxPushSize(maxPushSize));
    CountDownLatch stopped = new CountDownLatch(1);
    long pid = ProcessHandle.current().pid();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  forgetLabFile(dir, pid);
                  stopped.countDown();
                },
                "git-serve-shutdown"));
    LabFile lab = server.describeIn(LabFile.empty());
    lab.json().put("pid", pid);
    lab.write(dir);

    PrintWriter out = spec.commandLine().getOut();
    err.println(Console.success("Git server ready at " + server.baseUrl() + " (Ctrl-C to stop)"));
    err.println("  clone the workshop repository with:");
    err.flush();
    out.println("git clone " + withCredentials(server.repositoryUrl("workshop.git"),
        server.participant().username(), server.participant().password()));
    out.flush();
    stopped.await();
    return 0;
  }

  static String withCredentials(String url, String user, String password) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + user + ":" + password + "@" + uri.getRawAuthority() + uri.getRawPath();
  }

  /** lab.json describes a running server: remove it on stop, unless another process rewrote it. */
  private static void forgetLabFile(DataDir dir, long pid) {
    try {
      if (LabFile.exists(dir) && String.valueOf(pid).equals(LabFile.read(dir).json().path("pid").asText())) {
        Files.deleteIfExists(dir.labJson());
      }
    } catch (IOException | RuntimeException e) {
      // best effort while the JVM stops
    }
  }
}
