package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.registry.RegistryRemote;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.RunningLab;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workshop registry}: the running lab's image registry (tags of podinfo, offline). */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = {
      "The running lab's image registry: it serves podinfo's released tags offline, standing in for "
          + "ghcr.io on the embedded cluster, so that the image automation step (8) has tags to choose from.",
      "Publish a tag to show the automation live: the operator scans it, the policy picks it when it "
          + "is in range, and a commit by the automation arrives in Git."
    },
    subcommands = {RegistryCommand.Tag.class, RegistryCommand.Tags.class})
public final class RegistryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static RegistryRemote remote(DataDir dir) {
    return RegistryRemote.of(RunningLab.require(dir));
  }

  @Command(name = "tag", mixinStandardHelpOptions = true,
      description = {"Publish a tag, as pushing an image with that tag would (kept in the data dir).",
        "Example: registry tag podinfo 6.5.9 (in the step's 6.5.x range: a new automation commit follows); "
            + "registry tag podinfo 6.6.9 (outside it: nothing changes)."})
  static final class Tag implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "REPOSITORY", description = "podinfo, or a repository path such as stefanprodan/podinfo")
    String repository;

    @Parameters(index = "1", paramLabel = "TAG", description = "the new tag, such as 6.5.9")
    String tag;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      RegistryRemote remote = remote(dataDir.dataDir());
      String name = RegistryRemote.repository(repository);
      PrintWriter out = spec.commandLine().getOut();
      if (remote.publish(name, tag)) {
        out.println(Console.success("published " + name + ":" + tag + " to the lab's registry"));
        out.println(Console.action("ImageRepositories of " + name + " were asked to scan now (unless the lab runs with --nudge off:"
            + " then at their interval); see 'kubectl -n flux-system get imagepolicies'"));
      } else {
        out.println(Console.action(name + ":" + tag + " was already in the lab's registry: nothing changed"));
      }
      return 0;
    }
  }

  @Command(name = "tags", mixinStandardHelpOptions = true, description = "List a repository's tags in the lab's registry (through the OCI API).")
  static final class Tags implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "REPOSITORY", defaultValue = "podinfo",
        description = "podinfo (default), or a repository path such as stefanprodan/podinfo")
    String repository;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      RegistryRemote remote = remote(dataDir.dataDir());
      List<String> tags = remote.tags(RegistryRemote.repository(repository));
      PrintWriter out = spec.commandLine().getOut();
      tags.forEach(out::println);
      return 0;
    }
  }
}
