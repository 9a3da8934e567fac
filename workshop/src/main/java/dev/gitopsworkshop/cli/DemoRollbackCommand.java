package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.demo.DemoLab;
import dev.gitopsworkshop.demo.RollbackDemo;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop demo rollback}: a bad image through Git, and back through Git. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "How to find the correct version to roll back to? Pushes a bad change (podinfo with an image tag "
          + "that does not exist), shows it fail (ErrImagePull, a stuck rollout), finds the last good commit "
          + "from the cluster's rollout history and Git's log, reverts the bad commit with git revert, pushes, "
          + "and shows the cluster follow. It works in its own clone under the data dir.",
      "The audit trail is Git's log: the bad commit and its revert stay in the history."
    })
public final class DemoRollbackCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--bad-tag", paramLabel = "TAG", defaultValue = "6.5.99",
      description = "The image tag to break podinfo with, one its registry does not have (default: ${DEFAULT-VALUE}).")
  String badTag;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long each phase may take (default: ${DEFAULT-VALUE}).")
  int timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (DemoLab lab = DemoLab.attach(dataDir.dataDir())) {
      new RollbackDemo(lab, DemoCommand.timeline(spec.commandLine().getOut()), Duration.ofSeconds(timeout)).run(badTag);
    }
    return 0;
  }
}
