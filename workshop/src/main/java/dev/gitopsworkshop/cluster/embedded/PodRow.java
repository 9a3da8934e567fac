package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A Pod's row in {@code kubectl get pods}, with the STATUS column worked out as kubectl does. */
final class PodRow {
  private PodRow() {}

  static List<Object> cells(ObjectNode pod, String age) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    int total = spec.path("containers").size();
    int ready = 0;
    int restarts = 0;
    for (JsonNode cs : status.path("containerStatuses")) {
      ready += cs.path("ready").asBoolean() ? 1 : 0;
      restarts += cs.path("restartCount").asInt();
    }
    String gates = "<none>";
    if (spec.path("readinessGates").size() > 0) {
      gates = "0/" + spec.path("readinessGates").size();
    }
    return List.of(
        pod.path("metadata").path("name").asText(),
        ready + "/" + total,
        reason(pod),
        String.valueOf(restarts),
        age,
        Tables.orNone(status.path("podIP").asText("")),
        Tables.orNone(spec.path("nodeName").asText("")),
        Tables.orNone(status.path("nominatedNodeName").asText("")),
        gates);
  }

  /** The STATUS column: phase, or the reason a container waits or ended, or Terminating. */
  static String reason(ObjectNode pod) {
    JsonNode status = pod.path("status");
    String reason = status.path("phase").asText("Pending");
    if (!status.path("reason").asText("").isEmpty()) {
      reason = status.path("reason").asText();
    }
    JsonNode init = status.path("initContainerStatuses");
    for (int i = 0; i < init.size(); i++) {
      JsonNode st = init.get(i).path("state");
      if (st.path("terminated").path("exitCode").asInt(0) == 0 && st.has("terminated")) {
        continue;
      }
      if (st.has("terminated")) {
        String r = st.path("terminated").path("reason").asText("");
        return "Init:" + (r.isEmpty() ? "ExitCode:" + st.path("terminated").path("exitCode").asInt() : r);
      }
      String waiting = st.path("waiting").path("reason").asText("");
      return !waiting.isEmpty() && !waiting.equals("PodInitializing")
          ? "Init:" + waiting
          : "Init:" + i + "/" + pod.path("spec").path("initContainers").size();
    }
    boolean running = false;
    JsonNode statuses = status.path("containerStatuses");
    for (int i = statuses.size() - 1; i >= 0; i--) {
      JsonNode cs = statuses.get(i);
      JsonNode st = cs.path("state");
      String waiting = st.path("waiting").path("reason").asText("");
      String terminated = st.path("terminated").path("reason").asText("");
      if (!waiting.isEmpty()) {
        reason = waiting;
      } else if (!terminated.isEmpty()) {
        reason = terminated;
      } else if (st.has("terminated")) {
        int signal = st.path("terminated").path("signal").asInt(0);
        reason = signal != 0 ? "Signal:" + signal : "ExitCode:" + st.path("terminated").path("exitCode").asInt();
      } else if (st.has("running") && cs.path("ready").asBoolean()) {
        running = true;
      }
    }
    if (reason.equals("Completed") && running) {
      reason = "Running";
    }
    if (pod.path("metadata").has("deletionTimestamp")) {
      reason = status.path("reason").asText("").equals("NodeLost") ? "Unknown" : "Terminating";
    }
    return reason;
  }
}
