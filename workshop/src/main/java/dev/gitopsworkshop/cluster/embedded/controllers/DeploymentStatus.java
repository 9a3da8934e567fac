package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Deployment's status as kube-controller-manager computes it from its ReplicaSets: the counts,
 * {@code Available}, and {@code Progressing} with its reasons and messages, including
 * ProgressDeadlineExceeded when a rollout makes no progress for progressDeadlineSeconds.
 */
final class DeploymentStatus {
  private static final Set<String> IN_PROGRESS = Set.of("NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated");

  private DeploymentStatus() {}

  /**
   * @param newRs the ReplicaSet of the current template, null while paused before it exists
   * @param created whether this reconcile created {@code newRs}
   */
  static ObjectNode of(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, boolean created) {
    int desired = d.at("/spec/replicas").asInt(1);
    List<ObjectNode> all = new ArrayList<>(old);
    if (newRs != null) {
      all.add(newRs);
    }
    int replicas = sum(all, "replicas");
    int ready = sum(all, "readyReplicas");
    int available = sum(all, "availableReplicas");
    int updated = newRs == null ? 0 : newRs.at("/status/replicas").asInt(0);
    String rsName = newRs == null ? "" : newRs.at("/metadata/name").asText();
    ObjectNode status = Json.object();
    status.put("observedGeneration", d.at("/metadata/generation").asLong(1));
    status.put("replicas", replicas);
    status.put("updatedReplicas", updated);
    status.put("readyReplicas", ready);
    status.put("availableReplicas", available);
    if (desired - available > 0) {
      status.put("unavailableReplicas", desired - available);
    }
    boolean minimum = available >= desired - DeploymentController.maxUnavailable(d, desired);
    boolean complete = newRs != null && updated == desired && available >= desired && replicas == updated
        && newRs.at("/status/availableReplicas").asInt(0) >= desired;
    ArrayNode conditions = status.putArray("conditions");
    JsonNode previous = d.at("/status/conditions");
    condition(conditions, previous, "Available", minimum ? "True" : "False",
        minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        minimum ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", false);
    boolean progressed = created || progressed(d.path("status"), status);
    JsonNode last = find(previous, "Progressing");
    String progressing = "True";
    String reason;
    String message;
    if (d.at("/spec/paused").asBoolean(false)) {
      progressing = "Unknown";
      reason = "DeploymentPaused";
      message = "Deployment is paused";
    } else if (complete) {
      reason = "NewReplicaSetAvailable";
      message = "ReplicaSet \"" + rsName + "\" has successfully progressed.";
    } else if (created) {
      reason = "NewReplicaSetCreated";
      message = "Created new replica set \"" + rsName + "\"";
    } else if (!progressed && (timedOut(d, last) || "ProgressDeadlineExceeded".equals(last.path("reason").asText()))) {
      progressing = "False";
      reason = "ProgressDeadlineExceeded";
      message = "ReplicaSet \"" + rsName + "\" has timed out progressing.";
    } else if (last.isMissingNode()) {
      reason = "FoundNewReplicaSet";
      message = "Found new replica set \"" + rsName + "\"";
    } else {
      reason = "ReplicaSetUpdated";
      message = "ReplicaSet \"" + rsName + "\" is progressing.";
    }
    condition(conditions, previous, "Progressing", progressing, reason, message, progressed);
    return status;
  }

  /** Milliseconds until a rollout in progress would time out; -1 when none is in progress. */
  static long untilDeadline(ObjectNode d, ObjectNode status) {
    JsonNode c = find(status.path("conditions"), "Progressing");
    if (!IN_PROGRESS.contains(c.path("reason").asText()) || !d.at("/spec/progressDeadlineSeconds").canConvertToLong()) {
      return -1;
    }
    Instant since = parse(c.path("lastUpdateTime").asText());
    long deadline = since.toEpochMilli() + d.at("/spec/progressDeadlineSeconds").asLong() * 1000;
    return Math.max(0, deadline - System.currentTimeMillis()) + 1000;
  }

  /** Whether two statuses differ in more than condition timestamps. */
  static boolean same(JsonNode a, JsonNode b) {
    JsonNode x = a.deepCopy();
    JsonNode y = b.deepCopy();
    for (JsonNode o : List.of(x, y)) {
      for (JsonNode c : o.path("conditions")) {
        ((ObjectNode) c).remove("lastUpdateTime");
        ((ObjectNode) c).remove("lastTransitionTime");
      }
    }
    return x.equals(y);
  }

  private static boolean progressed(JsonNode before, JsonNode after) {
    return after.path("updatedReplicas").asInt() > before.path("updatedReplicas").asInt(0)
        || after.path("readyReplicas").asInt() > before.path("readyReplicas").asInt(0)
        || after.path("availableReplicas").asInt() > before.path("availableReplicas").asInt(0)
        || after.path("replicas").asInt() < before.path("replicas").asInt(0);
  }

  private static boolean timedOut(ObjectNode d, JsonNode last) {
    if (!IN_PROGRESS.contains(last.path("reason").asText()) || !d.at("/spec/progressDeadlineSeconds").canConvertToLong()) {
      return false;
    }
    Instant since = parse(last.path("lastUpdateTime").asText());
    return since.plusSeconds(d.at("/spec/progressDeadlineSeconds").asLong()).isBefore(Instant.now());
  }

  private static void condition(ArrayNode out, JsonNode previous, String type, String status, String reason,
      String message, boolean touch) {
    String now = ResourceStore.now();
    String transition = now;
    String updateTime = now;
    JsonNode c = find(previous, type);
    if (status.equals(c.path("status").asText())) {
      transition = c.path("lastTransitionTime").asText(now);
    }
    if (!touch && reason.equals(c.path("reason").asText()) && message.equals(c.path("message").asText())) {
      updateTime = c.path("lastUpdateTime").asText(now);
    }
    out.addObject().put("type", type).put("status", status).put("lastUpdateTime", updateTime)
        .put("lastTransitionTime", transition).put("reason", reason).put("message", message);
  }

  private static JsonNode find(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return MissingNode.getInstance();
  }

  private static Instant parse(String time) {
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return Instant.now();
    }
  }

  private static int sum(List<ObjectNode> sets, String field) {
    return sets.stream().mapToInt(rs -> rs.at("/status/" + field).asInt(0)).sum();
  }
}
