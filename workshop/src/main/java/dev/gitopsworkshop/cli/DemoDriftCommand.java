package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.demo.DemoLab;
import dev.gitopsworkshop.demo.DriftDemo;
import dev.gitopsworkshop.demo.Timeline;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop demo drift}: change podinfo behind Git's back and watch Flux put it back. */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {
      "Change podinfo behind Git's back, twice (delete it, then scale it by hand), and show Flux putting "
          + "back what Git says: change made, drift seen, reconcile requested, applied, pods Ready, healed in N s.",
      "With --nudge off the lab does not ask Flux to look: the timeline counts down to the "
          + "Kustomization's next interval instead, which is why Flux's interval matters."
    })
public final class DemoDriftCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--nudge", paramLabel = "on|off", defaultValue = "on", arity = "1", converter = OnOff.class,
      description = "on (default): the lab asks Flux to reconcile as soon as it sees drift; off: Flux keeps to its "
          + "interval. The lab's own setting is restored afterwards.")
  boolean nudge;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long each act may take to heal. Default: 60 with nudges, two intervals and 30 s without.")
  Integer timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Timeline timeline = DemoCommand.timeline(spec.commandLine().getOut());
    DriftDemo.Result result;
    try (DemoLab lab = DemoLab.attach(dataDir.dataDir())) {
      result = new DriftDemo(lab, timeline, timeout == null ? null : Duration.ofSeconds(timeout)).run(nudge);
    }
    timeline.say(Timeline.Kind.HEADING, "");
    timeline.say(Timeline.Kind.DONE, "deleted: healed in " + Timeline.duration(result.deleteHealed())
        + "; scaled by hand: healed in " + Timeline.duration(result.scaleHealed()));
    return 0;
  }
}
