package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * DaemonSets as kube-controller-manager runs them on the embedded cluster's one node: one pod there
 * when the node matches the template's nodeSelector (none otherwise), pinned to it with node
 * affinity; a new template replaces the pod (RollingUpdate), or waits for the pod to be deleted
 * (OnDelete); the status {@code kubectl rollout status} reads.
 */
final class DaemonSetController extends Controller {
  private final ResourceType sets;
  private final ResourceType pods;
  private final ResourceType nodes;
  private final ResourceType revisions;
  private final EventRecorder events;

  DaemonSetController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events) {
    super(store, types, timers);
    this.sets = type("apps", "daemonsets");
    this.pods = type("", "pods");
    this.nodes = type("", "nodes");
    this.revisions = type("apps", "controllerrevisions");
    this.events = events;
    on(sets, Controller::self);
    on(pods, e -> owner(e, "DaemonSet"));
  }

  @Override
  protected String name() {
    return "daemonset-controller";
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
    ObjectNode ds = found.get();
    String uid = ds.at("/metadata/uid").asText();
    String revision = ControllerRevisions.ensure(store, revisions, ds);
    String hash = revision.substring(name.length() + 1);
    boolean wanted = fits(ds);
    List<ObjectNode> owned = new ArrayList<>(store.list(pods, namespace, p -> ReplicaSetController.ownedBy(p, uid) && !PodTemplates.deleting(p)).items());
    for (Iterator<ObjectNode> it = owned.iterator(); it.hasNext(); ) {
      ObjectNode p = it.next();
      boolean stale = !hash.equals(p.at("/metadata/labels/" + ControllerRevisions.HASH_LABEL).asText())
          && !"OnDelete".equals(ds.at("/spec/updateStrategy/type").asText("RollingUpdate"));
      if (!wanted || PodTemplates.terminal(p) || stale || owned.indexOf(p) > 0) {
        delete(ds, p);
        it.remove();
      }
    }
    if (wanted && owned.isEmpty()) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(ControllerRevisions.HASH_LABEL, hash);
      labels.put("pod-template-generation", String.valueOf(ds.at("/metadata/generation").asLong(1)));
      ObjectNode template = ((ObjectNode) ds.at("/spec/template")).deepCopy();
      ObjectNode terms = Json.object();
      terms.putArray("nodeSelectorTerms").addObject().putArray("matchFields").addObject()
          .put("key", "metadata.name").put("operator", "In").putArray("values").add(Kubelet.NODE);
      template.with("spec").with("affinity").with("nodeAffinity").set("requiredDuringSchedulingIgnoredDuringExecution", terms);
      ObjectNode pod = store.create(pods, PodTemplates.pod(ds, template, null, labels), false);
      owned.add(pod);
      events.normal(ds, "daemonset-controller", "SuccessfulCreate", "Created pod: " + pod.at("/metadata/name").asText());
    }
    int desired = wanted ? 1 : 0;
    int ready = (int) owned.stream().filter(ReplicaSetController::ready).count();
    int updated = (int) owned.stream().filter(p -> hash.equals(p.at("/metadata/labels/" + ControllerRevisions.HASH_LABEL).asText())).count();
    ObjectNode status = Json.object();
    status.put("currentNumberScheduled", owned.size());
    status.put("desiredNumberScheduled", desired);
    status.put("numberAvailable", ready);
    status.put("numberMisscheduled", 0);
    status.put("numberReady", ready);
    status.put("observedGeneration", ds.at("/metadata/generation").asLong(1));
    status.put("updatedNumberScheduled", updated);
    if (desired - ready > 0) {
      status.put("numberUnavailable", desired - ready);
    }
    if (!status.equals(ds.path("status"))) {
      ObjectNode next = ds.deepCopy();
      next.set("status", status);
      store.update(sets, next, ResourceStore.Part.STATUS, false);
    }
  }

  /** Whether the node has every label of the template's nodeSelector. */
  private boolean fits(ObjectNode ds) {
    JsonNode labels = store.get(nodes, null, Kubelet.NODE).map(n -> n.at("/metadata/labels")).orElse(Json.object());
    var it = ds.at("/spec/template/spec/nodeSelector").fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private void delete(ObjectNode ds, ObjectNode pod) {
    if (deleteIfPresent(pods, pod.at("/metadata/namespace").asText(), pod.at("/metadata/name").asText())) {
      events.normal(ds, "daemonset-controller", "SuccessfulDelete", "Deleted pod: " + pod.at("/metadata/name").asText());
    }
  }

}
