package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.lab.Doctor;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop doctor}: this machine's prerequisites for a lab, each a named check. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check this machine's prerequisites for a lab, one named check a line.",
      "A participant needs a JDK 17 or newer and git; kubectl to do the steps by hand; Docker only for k3s.",
      "Checks Java, git, kubectl, Docker and its memory (k3s), the data dir, the ports it used last time, the image "
          + "registries (k3s) and Flux's cached manifest (real Flux), for the cluster mode a lab would run: with auto, "
          + "k3s where Docker answers, else the embedded cluster, for which Docker's absence is only a warning.",
      "Each check passes, fails with what to do, warns (optional) or is skipped (not needed for the cluster "
          + "mode); exit 0 when none fails, 1 otherwise."
    })
public final class DoctorCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDirOption;

  @Option(names = "--cluster", paramLabel = "MODE", defaultValue = "auto",
      description = "The cluster mode to check for: auto (default), embedded, k3s or kubeconfig.")
  ClusterMode cluster;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Doctor.Report report = Doctor.report(dataDirOption.dataDir(), cluster, Doctor.Probes.real());
    List<Doctor.Check> checks = report.checks();
    out.println(report.heading());
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
    for (Doctor.Check c : checks) {
      String line = String.format("%-" + width + "s  %s", c.name(), c.detail());
      out.println(switch (c.status()) {
        case PASS -> Console.success(line);
        case FAIL -> Console.failure(line);
        case WARN -> Console.waiting(line);
        case SKIP -> "- " + line;
      });
      if (c.whatToDo() != null) {
        out.println("  " + " ".repeat(width + 2) + c.whatToDo());
      }
    }
    boolean passed = Doctor.passed(checks);
    out.println(passed ? "all required checks passed" : "some required checks failed (✗): see what to do under each");
    out.flush();
    return passed ? 0 : 1;
  }
}
