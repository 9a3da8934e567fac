package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Deployments as kube-controller-manager runs them: one ReplicaSet per pod template (named by its
 * {@code pod-template-hash}), revisions in {@code deployment.kubernetes.io/revision}, rolling
 * updates within maxSurge and maxUnavailable, old ReplicaSets kept at zero up to
 * revisionHistoryLimit, and the status and conditions {@code kubectl rollout status} reads.
 */
final class DeploymentController extends Controller {
  static final String HASH_LABEL = "pod-template-hash";
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  private final ResourceType deployments;
  private final ResourceType replicaSets;
  private final EventRecorder events;

  DeploymentController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events) {
    super(store, types, timers);
    this.deployments = type("apps", "deployments");
    this.replicaSets = type("apps", "replicasets");
    this.events = events;
    on(deployments, Controller::self);
    on(replicaSets, e -> owner(e, "Deployment"));
  }

  @Override
  protected String name() {
    return "deployment-controller";
  }

  void start() {
    start(List.of(deployments));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(deployments, namespace, name);
    if (found.isEmpty() || found.get().at("/metadata/deletionTimestamp").isTextual()) {
      return;
    }
    ObjectNode d = found.get();
    String uid = d.at("/metadata/uid").asText();
    List<ObjectNode> owned = new ArrayList<>(store.list(replicaSets, namespace, rs -> ReplicaSetController.ownedBy(rs, uid)).items());
    String hash = templateHash(d.at("/spec/template"));
    long maxRevision = owned.stream().mapToLong(DeploymentController::revision).max().orElse(0);
    ObjectNode newRs = owned.stream().filter(rs -> hash.equals(rs.at("/metadata/labels/" + HASH_LABEL).asText())).findFirst().orElse(null);
    int desired = d.at("/spec/replicas").asInt(1);
    List<ObjectNode> old = new ArrayList<>(owned);
    boolean created = false;
    boolean paused = d.at("/spec/paused").asBoolean(false);
    if (newRs == null && paused) {
      writeStatus(d, null, old, false);
      return;
    }
    if (newRs == null) {
      int start = owned.stream().allMatch(rs -> rs.at("/spec/replicas").asInt() == 0) && !isRecreate(d) ? desired : 0;
      if (!owned.isEmpty() && !isRecreate(d)) {
        start = Math.min(desired, Math.max(0, desired + maxSurge(d, desired) - totalReplicas(owned)));
      }
      newRs = store.create(replicaSets, newReplicaSet(d, hash, maxRevision + 1, start), false);
      created = true;
      if (start > 0) {
        events.normal(d, "deployment-controller", "ScalingReplicaSet", "Scaled up replica set " + newRs.at("/metadata/name").asText() + " from 0 to " + start);
      }
    } else {
      old.remove(newRs);
      if (revision(newRs) < maxRevision) {
        ObjectNode next = newRs.deepCopy();
        ObjectNode annotations = next.with("metadata").with("annotations");
        String history = annotations.path(REVISION_HISTORY).asText("");
        annotations.put(REVISION_HISTORY, (history.isEmpty() ? "" : history + ",") + revision(newRs));
        annotations.put(REVISION, String.valueOf(maxRevision + 1));
        newRs = store.update(replicaSets, next, ResourceStore.Part.MAIN, false);
      }
    }
    if (!paused) {
      newRs = rollOut(d, newRs, old, desired);
      cleanUp(d, old);
    }
    d = annotateRevision(d, revision(newRs));
    writeStatus(d, newRs, old, created);
  }

  /** The Deployment carries its current revision too, as kube-controller-manager writes it. */
  private ObjectNode annotateRevision(ObjectNode d, long revision) {
    String current = d.at("/metadata/annotations/" + REVISION.replace("/", "~1")).asText("");
    if (current.equals(String.valueOf(revision))) {
      return d;
    }
    ObjectNode next = d.deepCopy();
    next.with("metadata").with("annotations").put(REVISION, String.valueOf(revision));
    return store.update(deployments, next, ResourceStore.Part.MAIN, false);
  }

  private ObjectNode rollOut(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, int desired) {
    List<ObjectNode> all = new ArrayList<>(old);
    all.add(newRs);
    int newReplicas = newRs.at("/spec/replicas").asInt();
    if (isRecreate(d)) {
      for (ObjectNode rs : old) {
        scale(d, rs, 0);
      }
      boolean oldGone = old.stream().allMatch(rs -> rs.at("/status/replicas").asInt(0) == 0);
      return oldGone && newReplicas != desired ? scale(d, newRs, desired) : newRs;
    }
    if (newReplicas > desired) {
      newRs = scale(d, newRs, desired);
    } else if (newReplicas < desired) {
      int allowed = desired + maxSurge(d, desired) - totalReplicas(all);
      if (allowed > 0) {
        newRs = scale(d, newRs, Math.min(desired, newReplicas + allowed));
      }
    }
    int minAvailable = desired - maxUnavailable(d, desired);
    int available = all.stream().mapToInt(DeploymentController::available).sum();
    int canScaleDown = available - minAvailable;
    old.sort(Comparator.comparingLong(DeploymentController::revision));
    for (ObjectNode rs : old) {
      int replicas = rs.at("/spec/replicas").asInt();
      if (replicas == 0) {
        continue;
      }
      int unhealthy = replicas - available(rs);
      int by = Math.min(replicas, Math.max(0, canScaleDown) + Math.max(0, unhealthy));
      if (by > 0) {
        scale(d, rs, replicas - by);
        canScaleDown -= Math.max(0, by - Math.max(0, unhealthy));
      }
    }
    return newRs;
  }

  private ObjectNode scale(ObjectNode d, ObjectNode rs, int replicas) {
    int from = rs.at("/spec/replicas").asInt();
    if (from == replicas) {
      return rs;
    }
    ObjectNode next = rs.deepCopy();
    next.with("spec").put("replicas", replicas);
    next.with("metadata").with("annotations").put("deployment.kubernetes.io/desired-replicas", String.valueOf(d.at("/spec/replicas").asInt(1)));
    ObjectNode updated = store.update(replicaSets, next, ResourceStore.Part.MAIN, false);
    events.normal(d, "deployment-controller", "ScalingReplicaSet",
        "Scaled " + (replicas > from ? "up" : "down") + " replica set " + rs.at("/metadata/name").asText() + " from " + from + " to " + replicas);
    return updated;
  }

  private void cleanUp(ObjectNode d, List<ObjectNode> old) {
    int limit = d.at("/spec/revisionHistoryLimit").asInt(10);
    List<ObjectNode> idle = new ArrayList<>(old.stream()
        .filter(rs -> rs.at("/spec/replicas").asInt() == 0 && rs.at("/status/replicas").asInt(0) == 0).toList());
    idle.sort(Comparator.comparingLong(DeploymentController::revision));
    for (int i = 0; i < idle.size() - limit; i++) {
      store.delete(replicaSets, idle.get(i).at("/metadata/namespace").asText(), idle.get(i).at("/metadata/name").asText(), null, false);
    }
  }

  private void writeStatus(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, boolean created) {
    ObjectNode status = DeploymentStatus.of(d, newRs, old, created);
    if (!DeploymentStatus.same(status, d.path("status"))) {
      ObjectNode next = d.deepCopy();
      next.set("status", status);
      store.update(deployments, next, ResourceStore.Part.STATUS, false);
    }
    long deadline = DeploymentStatus.untilDeadline(d, status);
    if (deadline >= 0) {
      enqueueAfter(key(d), deadline);
    }
  }

  private ObjectNode newReplicaSet(ObjectNode d, String hash, long revision, int replicas) {
    String name = d.at("/metadata/name").asText() + "-" + hash;
    ObjectNode rs = Json.object();
    ObjectNode meta = rs.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", d.at("/metadata/namespace").asText());
    ObjectNode labels = d.at("/spec/template/metadata/labels").isObject()
        ? ((ObjectNode) d.at("/spec/template/metadata/labels")).deepCopy() : Json.object();
    labels.put(HASH_LABEL, hash);
    meta.set("labels", labels);
    ObjectNode annotations = meta.putObject("annotations");
    annotations.put(REVISION, String.valueOf(revision));
    annotations.put("deployment.kubernetes.io/desired-replicas", String.valueOf(d.at("/spec/replicas").asInt(1)));
    annotations.put("deployment.kubernetes.io/max-replicas", String.valueOf(d.at("/spec/replicas").asInt(1) + maxSurge(d, d.at("/spec/replicas").asInt(1))));
    meta.putArray("ownerReferences").addObject()
        .put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", d.at("/metadata/name").asText())
        .put("uid", d.at("/metadata/uid").asText()).put("controller", true).put("blockOwnerDeletion", true);
    ObjectNode spec = rs.putObject("spec");
    spec.put("replicas", replicas);
    ObjectNode selector = ((ObjectNode) d.at("/spec/selector")).deepCopy();
    selector.with("matchLabels").put(HASH_LABEL, hash);
    spec.set("selector", selector);
    ObjectNode template = ((ObjectNode) d.at("/spec/template")).deepCopy();
    template.with("metadata").with("labels").put(HASH_LABEL, hash);
    spec.set("template", template);
    return rs;
  }

  /** A stable hash of a pod template, ten characters of the alphabet Kubernetes uses in names. */
  static String templateHash(JsonNode template) {
    byte[] digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(Json.write(canonical(template)).getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      sb.append(alphabet.charAt((digest[i] & 0xff) % alphabet.length()));
    }
    return sb.toString();
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = Json.object();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String n : names) {
        if (n.equals(HASH_LABEL)) {
          continue;
        }
        sorted.set(n, canonical(node.get(n)));
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode arr = Json.array();
      node.forEach(n -> arr.add(canonical(n)));
      return arr;
    }
    return node;
  }

  static long revision(ObjectNode rs) {
    try {
      return Long.parseLong(rs.at("/metadata/annotations/" + REVISION.replace("/", "~1")).asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isRecreate(ObjectNode d) {
    return "Recreate".equals(d.at("/spec/strategy/type").asText());
  }

  /**
   * The available pods of a ReplicaSet, counting none above its spec: right after a scale-down its
   * status still counts the pods about to go, and trusting it would scale down twice.
   */
  private static int available(ObjectNode rs) {
    return Math.min(rs.at("/status/availableReplicas").asInt(0), rs.at("/spec/replicas").asInt());
  }

  /**
   * The pods the ReplicaSets have or are about to have: a ReplicaSet just scaled down still has its
   * pods until its status says otherwise, and counting only its spec would surge past maxSurge.
   */
  private static int totalReplicas(List<ObjectNode> sets) {
    return sets.stream().mapToInt(rs -> Math.max(rs.at("/spec/replicas").asInt(), rs.at("/status/replicas").asInt(0))).sum();
  }

  static int maxSurge(ObjectNode d, int desired) {
    return resolve(d.at("/spec/strategy/rollingUpdate/maxSurge"), desired, true, 25);
  }

  static int maxUnavailable(ObjectNode d, int desired) {
    int surge = maxSurge(d, desired);
    int unavailable = resolve(d.at("/spec/strategy/rollingUpdate/maxUnavailable"), desired, false, 25);
    return surge == 0 && unavailable == 0 ? 1 : Math.min(unavailable, desired);
  }

  private static int resolve(JsonNode value, int desired, boolean roundUp, int defaultPercent) {
    String v = value.isMissingNode() || value.isNull() ? defaultPercent + "%" : value.asText();
    if (v.endsWith("%")) {
      double pct = Integer.parseInt(v.substring(0, v.length() - 1)) * desired / 100.0;
      return (int) (roundUp ? Math.ceil(pct) : Math.floor(pct));
    }
    return Integer.parseInt(v);
  }
}
