package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import java.util.List;
import java.util.function.Predicate;

/** The pod statuses a kubelet writes, as {@code kubectl get pods} and {@code describe} read them. */
final class PodStatuses {
  static final String HOST_IP = "10.0.0.10";

  private PodStatuses() {}

  /** Bound to the node, containers being created. */
  static ObjectNode scheduled(ObjectNode pod) {
    String now = ResourceStore.now();
    ObjectNode status = Json.object();
    status.put("phase", "Pending");
    status.putArray("conditions").addObject()
        .put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime").put("lastTransitionTime", now);
    status.put("hostIP", HOST_IP);
    status.putArray("hostIPs").addObject().put("ip", HOST_IP);
    status.put("startTime", now);
    status.put("qosClass", qosClass(pod));
    ArrayNode statuses = status.putArray("containerStatuses");
    for (JsonNode c : pod.at("/spec/containers")) {
      ObjectNode s = statuses.addObject();
      s.put("name", c.path("name").asText());
      s.put("image", c.path("image").asText());
      s.put("imageID", "");
      s.put("ready", false);
      s.put("started", false);
      s.put("restartCount", 0);
      s.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
    }
    return status;
  }

  /**
   * The status of a started pod from its containers' runs: Running while any may still run (Ready
   * when each runs and passes its readiness probe), Succeeded when all ended with 0, Failed when
   * all ended and one did not.
   */
  static ObjectNode of(ObjectNode pod, String podIp, List<ContainerRun> runs) {
    String now = ResourceStore.now();
    ObjectNode status = current(pod);
    boolean done = runs.stream().allMatch(ContainerRun::done);
    boolean failed = done && runs.stream().anyMatch(r -> r.exitCode() != 0);
    String phase = !done ? "Running" : failed ? "Failed" : "Succeeded";
    List<String> unready = runs.stream().filter(r -> !(r.running() && r.probeReady)).map(r -> r.name).toList();
    status.put("phase", phase);
    status.put("podIP", podIp);
    status.putArray("podIPs").addObject().put("ip", podIp);
    JsonNode previous = pod.at("/status/conditions");
    ArrayNode conditions = status.putArray("conditions");
    condition(conditions, previous, "PodReadyToStartContainers", !done, null, null, now);
    condition(conditions, previous, "Initialized", true, null, null, now);
    String reason = done ? "PodCompleted" : "ContainersNotReady";
    String message = done ? null : "containers with unready status: " + unready;
    condition(conditions, previous, "Ready", unready.isEmpty(), reason, message, now);
    condition(conditions, previous, "ContainersReady", unready.isEmpty(), reason, message, now);
    condition(conditions, previous, "PodScheduled", true, null, null, now);
    ArrayNode statuses = status.putArray("containerStatuses");
    for (ContainerRun r : runs) {
      String image = r.spec.path("image").asText();
      statuses.add(r.status(image, imageId(image), true));
    }
    return status;
  }

  private static void condition(ArrayNode out, JsonNode previous, String type, boolean ok, String reason,
      String message, String now) {
    String value = ok ? "True" : "False";
    String since = now;
    for (JsonNode c : previous) {
      if (type.equals(c.path("type").asText()) && value.equals(c.path("status").asText())) {
        since = c.path("lastTransitionTime").asText(now);
      }
    }
    ObjectNode c = out.addObject().put("type", type).put("status", value).putNull("lastProbeTime").put("lastTransitionTime", since);
    if (!ok && reason != null) {
      c.put("reason", reason);
      if (message != null) {
        c.put("message", message);
      }
    }
  }

  /**
   * The containers that {@code which} picks wait for a reason (ErrImagePull, CrashLoopBackOff...);
   * the pod is not ready.
   *
   * @param restarted whether those containers count one more restart
   */
  static ObjectNode waiting(ObjectNode pod, Predicate<JsonNode> which, String reason, String message, boolean restarted) {
    ObjectNode status = current(pod);
    for (JsonNode s : status.path("containerStatuses")) {
      if (!which.test(s)) {
        continue;
      }
      ObjectNode cs = (ObjectNode) s;
      cs.put("ready", false);
      cs.put("started", false);
      if (restarted) {
        String now = ResourceStore.now();
        cs.put("restartCount", cs.path("restartCount").asInt(0) + 1);
        cs.putObject("lastState").putObject("terminated").put("exitCode", 1).put("reason", "Error")
            .put("message", message).put("startedAt", now).put("finishedAt", now);
      }
      ObjectNode waiting = cs.putObject("state").putObject("waiting").put("reason", reason);
      if (message != null) {
        waiting.put("message", message);
      }
    }
    return status;
  }

  static String waitingReason(ObjectNode pod, String container) {
    for (JsonNode s : pod.at("/status/containerStatuses")) {
      if (container.equals(s.path("name").asText())) {
        return s.at("/state/waiting/reason").asText("");
      }
    }
    return "";
  }

  /** The pod's status so far, or the scheduled one when no kubelet wrote it (a pod created bound to the node). */
  private static ObjectNode current(ObjectNode pod) {
    JsonNode statuses = pod.at("/status/containerStatuses");
    return statuses.size() == pod.at("/spec/containers").size() && statuses.size() > 0
        ? ((ObjectNode) pod.get("status")).deepCopy() : scheduled(pod);
  }

  /** BestEffort without requests or limits, Guaranteed when every container's limits equal its requests. */
  static String qosClass(ObjectNode pod) {
    boolean any = false;
    boolean guaranteed = true;
    for (JsonNode c : pod.at("/spec/containers")) {
      JsonNode requests = c.at("/resources/requests");
      JsonNode limits = c.at("/resources/limits");
      any |= requests.size() > 0 || limits.size() > 0;
      for (String r : List.of("cpu", "memory")) {
        JsonNode limit = limits.path(r);
        JsonNode request = requests.path(r).isMissingNode() ? limit : requests.path(r);
        guaranteed &= !limit.isMissingNode() && limit.asText().equals(request.asText());
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private static final java.util.Map<String, String> IMAGE_IDS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The image's digest as the runtime reports it (computed once per image: statuses are built often). */
  static String imageId(String image) {
    if (IMAGE_IDS.size() > 10_000) {
      IMAGE_IDS.clear();
    }
    return IMAGE_IDS.computeIfAbsent(image, PodStatuses::digestOf);
  }

  private static String digestOf(String image) {
    String repo = image.contains("@") ? image.substring(0, image.indexOf('@'))
        : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(0, image.lastIndexOf(':')) : image;
    String digest = String.format("%064x", new java.math.BigInteger(1, sha256(image)));
    return repo + "@sha256:" + digest;
  }

  private static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
