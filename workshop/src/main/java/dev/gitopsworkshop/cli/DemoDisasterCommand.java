package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.demo.DemoLab;
import dev.gitopsworkshop.demo.DisasterDemo;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop demo disaster}: lose the cluster, get everything back from Git. */
@Command(
    name = "disaster",
    mixinStandardHelpOptions = true,
    description = {
      "What if the production cluster fails? Throws the lab's cluster away (embedded: a new, empty one; k3s: a new container), "
          + "installs the operator again from the workshop repository's own flux/, and shows everything "
          + "converge back from Git, with timings. Git is not touched.",
      "On an existing cluster (kubeconfig mode) it refuses unless told --yes-delete-namespace; then it deletes the "
          + "flux-system namespace and what Flux applied, not the cluster."
    })
public final class DemoDisasterCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--yes-delete-namespace",
      description = "On an existing cluster (kubeconfig mode), allow deleting what the lab and Flux created there.")
  boolean yesDeleteNamespace;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long the cluster may take to converge back (default: ${DEFAULT-VALUE}).")
  int timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (DemoLab lab = DemoLab.attach(dataDir.dataDir())) {
      new DisasterDemo(lab, DemoCommand.timeline(spec.commandLine().getOut()), Duration.ofSeconds(timeout)).run(yesDeleteNamespace);
    }
    return 0;
  }
}
