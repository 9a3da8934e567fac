package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * StatefulSets as kube-controller-manager runs them: pods {@code <name>-0} to {@code <name>-N-1}
 * with stable names and hostnames, created in order and each only once the one before is Running
 * and Ready (all at once with podManagementPolicy Parallel), removed from the highest ordinal
 * down; a new template rolls out from the highest ordinal down to {@code partition}, one pod at a
 * time; each volumeClaimTemplate gives each pod its claim {@code <claim>-<name>-<ordinal>}, which
 * stays when the pod or the StatefulSet goes unless persistentVolumeClaimRetentionPolicy says Delete.
 */
final class StatefulSetController extends Controller {
  private final ResourceType sets;
  private final ResourceType pods;
  private final ResourceType revisions;
  private final ResourceType claims;
  private final EventRecorder events;

  StatefulSetController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events) {
    super(store, types, timers);
    this.sets = type("apps", "statefulsets");
    this.pods = type("", "pods");
    this.revisions = type("apps", "controllerrevisions");
    this.claims = type("", "persistentvolumeclaims");
    this.events = events;
    on(sets, Controller::self);
    on(pods, e -> owner(e, "StatefulSet"));
  }

  @Override
  protected String name() {
    return "statefulset-controller";
  }

  void start() {
    start(List.of(sets));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(sets, namespace, name);
    if (found.isEmpty() || PodTemplates.deleting(found.get())) {
      return;
    }
    ObjectNode sts = found.get();
    String uid = sts.at("/metadata/uid").asText();
    String updateRevision = ControllerRevisions.ensure(store, revisions, sts);
    int replicas = sts.at("/spec/replicas").asInt(1);
    boolean ordered = !"Parallel".equals(sts.at("/spec/podManagementPolicy").asText());
    Map<Integer, ObjectNode> byOrdinal = new HashMap<>();
    for (ObjectNode p : store.list(pods, namespace, p -> ReplicaSetController.ownedBy(p, uid)).items()) {
      byOrdinal.put(ordinal(name, p.at("/metadata/name").asText()), p);
    }
    boolean blocked = false;
    for (int i = 0; i < replicas && !blocked; i++) {
      ObjectNode p = byOrdinal.get(i);
      if (p == null) {
        byOrdinal.put(i, createPod(sts, i, updateRevision));
        blocked = ordered;
      } else if (PodTemplates.terminal(p)) {
        delete(sts, p);
        byOrdinal.remove(i);
        blocked = ordered;
      } else if (ordered && (PodTemplates.deleting(p) || !ReplicaSetController.ready(p))) {
        blocked = true;
      }
    }
    boolean allReady = !blocked && byOrdinal.values().stream().allMatch(p -> ReplicaSetController.ready(p) && !PodTemplates.deleting(p));
    int highest = byOrdinal.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    if (highest >= replicas && (!ordered || allReady)) {
      for (int i = highest; i >= replicas; i--) {
        ObjectNode p = byOrdinal.remove(i);
        if (p != null) {
          delete(sts, p);
          if ("Delete".equals(sts.at("/spec/persistentVolumeClaimRetentionPolicy/whenScaled").asText())) {
            for (JsonNode claim : sts.at("/spec/volumeClaimTemplates")) {
              deleteIfPresent(claims, namespace, claim.at("/metadata/name").asText() + "-" + name + "-" + i);
            }
          }
          if (ordered) {
            break;
          }
        }
      }
    } else if (allReady && "RollingUpdate".equals(sts.at("/spec/updateStrategy/type").asText("RollingUpdate"))) {
      int partition = sts.at("/spec/updateStrategy/rollingUpdate/partition").asInt(0);
      for (int i = replicas - 1; i >= partition; i--) {
        ObjectNode p = byOrdinal.get(i);
        if (p != null && !updateRevision.equals(revisionOf(p))) {
          delete(sts, p);
          break;
        }
      }
    }
    writeStatus(sts, byOrdinal, updateRevision, replicas);
  }

  private void writeStatus(ObjectNode sts, Map<Integer, ObjectNode> byOrdinal, String updateRevision, int replicas) {
    int ready = 0;
    int updated = 0;
    String currentRevision = sts.at("/status/currentRevision").asText(updateRevision);
    int current = 0;
    for (ObjectNode p : byOrdinal.values()) {
      if (ReplicaSetController.ready(p)) {
        ready++;
      }
      if (updateRevision.equals(revisionOf(p))) {
        updated++;
      }
      if (currentRevision.equals(revisionOf(p))) {
        current++;
      }
    }
    if (updated == replicas && byOrdinal.size() == replicas) {
      currentRevision = updateRevision;
      current = updated;
    }
    ObjectNode status = Json.object();
    status.put("observedGeneration", sts.at("/metadata/generation").asLong(1));
    status.put("replicas", byOrdinal.size());
    status.put("readyReplicas", ready);
    status.put("currentReplicas", current);
    status.put("updatedReplicas", updated);
    status.put("availableReplicas", ready);
    status.put("currentRevision", currentRevision);
    status.put("updateRevision", updateRevision);
    status.put("collisionCount", 0);
    if (!status.equals(sts.path("status"))) {
      ObjectNode next = sts.deepCopy();
      next.set("status", status);
      store.update(sets, next, ResourceStore.Part.STATUS, false);
    }
  }

  private ObjectNode createPod(ObjectNode sts, int ordinal, String revision) {
    String stsName = sts.at("/metadata/name").asText();
    String podName = stsName + "-" + ordinal;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ControllerRevisions.HASH_LABEL, revision);
    labels.put("statefulset.kubernetes.io/pod-name", podName);
    labels.put("apps.kubernetes.io/pod-index", String.valueOf(ordinal));
    ObjectNode template = ((ObjectNode) sts.at("/spec/template")).deepCopy();
    ObjectNode podSpec = template.with("spec");
    podSpec.put("hostname", podName);
    if (sts.at("/spec/serviceName").isTextual() && !sts.at("/spec/serviceName").asText().isEmpty()) {
      podSpec.put("subdomain", sts.at("/spec/serviceName").asText());
    }
    for (JsonNode claim : sts.at("/spec/volumeClaimTemplates")) {
      String claimName = claim.at("/metadata/name").asText() + "-" + podName;
      ensureClaim(sts, claim, claimName);
      podSpec.withArray("volumes").addObject().put("name", claim.at("/metadata/name").asText())
          .putObject("persistentVolumeClaim").put("claimName", claimName);
    }
    ObjectNode pod = store.create(pods, PodTemplates.pod(sts, template, podName, labels), false);
    events.normal(sts, "statefulset-controller", "SuccessfulCreate", "create Pod " + podName + " in StatefulSet " + stsName + " successful");
    return pod;
  }

  /**
   * A pod's claim from the template. The embedded cluster has no storage: the claim is bound at once
   * to a volume that exists only in its status.
   */
  private void ensureClaim(ObjectNode sts, JsonNode template, String claimName) {
    String ns = sts.at("/metadata/namespace").asText();
    if (store.get(claims, ns, claimName).isPresent()) {
      return;
    }
    ObjectNode pvc = Json.object();
    ObjectNode meta = pvc.putObject("metadata");
    meta.put("name", claimName);
    meta.put("namespace", ns);
    if (sts.at("/spec/selector/matchLabels").isObject()) {
      meta.set("labels", sts.at("/spec/selector/matchLabels").deepCopy());
    }
    if ("Delete".equals(sts.at("/spec/persistentVolumeClaimRetentionPolicy/whenDeleted").asText())) {
      ObjectNode owner = PodTemplates.ownerReference(sts);
      owner.remove("controller");
      meta.putArray("ownerReferences").add(owner); // the claim goes with the StatefulSet
    }
    pvc.set("spec", template.path("spec").deepCopy());
    ObjectNode created = store.create(claims, pvc, false);
    ObjectNode bound = created.deepCopy();
    ObjectNode status = bound.putObject("status");
    status.put("phase", "Bound");
    status.set("accessModes", template.at("/spec/accessModes").deepCopy());
    if (template.at("/spec/resources/requests/storage").isTextual()) {
      status.putObject("capacity").put("storage", template.at("/spec/resources/requests/storage").asText());
    }
    store.update(claims, bound, ResourceStore.Part.STATUS, false);
    events.normal(sts, "statefulset-controller", "SuccessfulCreate", "create Claim " + claimName + " for Pod "
        + claimName.substring(template.at("/metadata/name").asText().length() + 1) + " in StatefulSet " + sts.at("/metadata/name").asText() + " success");
  }

  private void delete(ObjectNode sts, ObjectNode pod) {
    if (deleteIfPresent(pods, pod.at("/metadata/namespace").asText(), pod.at("/metadata/name").asText())) {
      events.normal(sts, "statefulset-controller", "SuccessfulDelete", "delete Pod " + pod.at("/metadata/name").asText()
          + " in StatefulSet " + sts.at("/metadata/name").asText() + " successful");
    }
  }


  private static String revisionOf(ObjectNode pod) {
    return pod.at("/metadata/labels/" + ControllerRevisions.HASH_LABEL).asText();
  }

  private static int ordinal(String set, String pod) {
    try {
      return Integer.parseInt(pod.substring(set.length() + 1));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }
}
