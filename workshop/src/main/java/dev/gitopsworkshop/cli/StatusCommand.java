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
    if (lab.get("room", "url") != null) {
      status.putObject("room").put("url", lab.get("room", "url")).put("name", lab.get("room", "name")).put("board", lab.get("room", "board"));
    }
    PrintWriter out = spec.commandLine().getOut();
    if ("json".equalsIgnoreCase(output)) {
      out.println(Mappers.PRETTY.writeValueAsString(status));
      return 0;
    }
    out.printf("cluster   %s at %s%n", status.at("/cluster/mode").asText(), status.at("/cluster/apiUrl").asText());
    out.printf("git       %s  main at %s%s%n", status.at("/git/url").asText(), shortSha(status.at("/git/head").asText()),
        "remote".equals(lab.get("git", "mode")) ? "  (not the lab's own Git: --git-remote)" : "");
    if (status.has("room")) {
      out.printf("room      %s at %s  (the board: %s)%n", status.at("/room/name").asText(), status.at("/room/url").asText(),
          status.at("/room/board").asText());
    }
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
      String row = "%-24s %-" + nameWidth(status.path("flux"), "NAMESPACE/NAME") + "s %-6s %-22s %s%n";
      out.printf(row, "FLUX", "NAMESPACE/NAME", "READY", "REVISION", "MESSAGE");
      for (JsonNode f : status.path("flux")) {
        out.printf(row, f.path("kind").asText(), f.path("namespace").asText() + "/" + f.path("name").asText(),
            f.path("ready").asText(), shortRevision(f.path("revision").asText()), f.path("message").asText());
      }
    }
    out.println();
    String row = "%-" + nameWidth(status.path("workloads"), "WORKLOAD") + "s %-7s %s%n";
    out.printf(row, "WORKLOAD", "READY", "IMAGE");
    for (JsonNode w : status.path("workloads")) {
      out.printf(row, w.path("namespace").asText() + "/" + w.path("name").asText(),
          w.path("ready").asInt() + "/" + w.path("desired").asInt(), w.path("image").asText());
    }
    return 0;
  }

  /** A column as wide as its longest namespace/name (or its header), as kubectl sizes its columns. */
  private static int nameWidth(JsonNode rows, String header) {
    int width = header.length();
    for (JsonNode r : rows) {
      width = Math.max(width, r.path("namespace").asText().length() + 1 + r.path("name").asText().length());
    }
    return width;
  }

  private static String shortSha(String sha) {
    return sha.length() >= 40 ? sha.substring(0, 12) : sha;
  }

  private static String shortRevision(String revision) {
    int at = revision.indexOf("@sha1:");
    return at < 0 ? revision : revision.substring(0, at + 6) + shortSha(revision.substring(at + 6));
  }
}
