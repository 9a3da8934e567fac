package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.logging.LabLog;
import dev.gitopsworkshop.projector.Projector;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.RunningLab;
import dev.gitopsworkshop.sync.LabStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop status}: a running lab at a glance, or as JSON for scripts. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a running lab: its cluster, Git's HEAD, each Flux object's Ready state and revision, the workloads, "
        + "the projector view's URL and where the lab's log is.")
public final class StatusCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
  String output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LabFile lab = RunningLab.require(dataDir.dataDir());
    ObjectNode status = LabStatus.read(lab);
    String console = lab.get("console", "url");
    if (console != null) {
      status.put("projector", Projector.url(console));
    }
    status.put("log", LabLog.file(dataDir.dataDir().root()).toString());
    PrintWriter out = spec.commandLine().getOut();
    if ("json".equalsIgnoreCase(output)) {
      out.println(Mappers.PRETTY.writeValueAsString(status));
      return 0;
    }
    out.printf("cluster   %s at %s%n", status.at("/cluster/mode").asText(), status.at("/cluster/apiUrl").asText());
    out.printf("git       %s  main at %s%n", status.at("/git/url").asText(), shortSha(status.at("/git/head").asText()));
    if (status.has("projector")) {
      out.printf("projector %s%n", status.path("projector").asText());
    }
    out.printf("log       %s%n", status.path("log").asText());
    out.println();
    if (!status.path("operatorInstalled").asBoolean()) {
      out.println("flux      not installed (tutorial step 1: kubectl apply -f flux/install.yaml)");
    } else if (status.path("flux").isEmpty()) {
      out.println("flux      installed, not following any repository yet (tutorial steps 2 and 3)");
    } else {
      out.printf("%-24s %-26s %-6s %-22s %s%n", "FLUX", "NAMESPACE/NAME", "READY", "REVISION", "MESSAGE");
      for (JsonNode f : status.path("flux")) {
        out.printf("%-24s %-26s %-6s %-22s %s%n", f.path("kind").asText(), f.path("namespace").asText() + "/" + f.path("name").asText(),
            f.path("ready").asText(), shortRevision(f.path("revision").asText()), f.path("message").asText());
      }
    }
    out.println();
    out.printf("%-32s %-7s %s%n", "WORKLOAD", "READY", "IMAGE");
    for (JsonNode w : status.path("workloads")) {
      out.printf("%-32s %-7s %s%n", w.path("namespace").asText() + "/" + w.path("name").asText(),
          w.path("ready").asInt() + "/" + w.path("desired").asInt(), w.path("image").asText());
    }
    return 0;
  }

  private static String shortSha(String sha) {
    return sha.length() >= 40 ? sha.substring(0, 12) : sha;
  }

  private static String shortRevision(String revision) {
    int at = revision.indexOf("@sha1:");
    return at < 0 ? revision : revision.substring(0, at + 6) + shortSha(revision.substring(at + 6));
  }
}
