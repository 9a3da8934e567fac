package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code kubectl logs} on the embedded cluster: the simulated containers' story in a few lines. */
final class PodLogs {
  private PodLogs() {}

  static String of(ObjectNode pod, String container) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : pod.at("/spec/containers")) {
      if (container != null && !container.equals(c.path("name").asText())) {
        continue;
      }
      sb.append("[embedded cluster] container ").append(c.path("name").asText())
          .append(" runs image ").append(c.path("image").asText())
          .append(" (simulated: the embedded cluster does not run container images)\n");
    }
    return sb.toString();
  }
}
