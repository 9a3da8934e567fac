package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A Node's row in {@code kubectl get nodes}. */
final class NodeRow {
  private NodeRow() {}

  static List<Object> cells(ObjectNode node, String age) {
    JsonNode status = node.path("status");
    String ready = "Unknown";
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        ready = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
      }
    }
    if (node.path("spec").path("unschedulable").asBoolean()) {
      ready += ",SchedulingDisabled";
    }
    List<String> roles = new ArrayList<>();
    node.path("metadata").path("labels").fieldNames().forEachRemaining(l -> {
      if (l.startsWith("node-role.kubernetes.io/")) {
        roles.add(l.substring("node-role.kubernetes.io/".length()));
      }
    });
    String internal = "<none>";
    String external = "<none>";
    for (JsonNode a : status.path("addresses")) {
      if (a.path("type").asText().equals("InternalIP")) {
        internal = a.path("address").asText();
      } else if (a.path("type").asText().equals("ExternalIP")) {
        external = a.path("address").asText();
      }
    }
    JsonNode info = status.path("nodeInfo");
    return List.of(
        node.path("metadata").path("name").asText(),
        ready,
        roles.isEmpty() ? "<none>" : String.join(",", roles),
        age,
        info.path("kubeletVersion").asText(""),
        internal,
        external,
        Tables.orNone(info.path("osImage").asText("")),
        Tables.orNone(info.path("kernelVersion").asText("")),
        Tables.orNone(info.path("containerRuntimeVersion").asText("")));
  }
}
