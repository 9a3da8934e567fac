package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.Selectors;
import dev.gitopsworkshop.cluster.embedded.schema.BuiltInDefaults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** Keeps {@code spec.replicas} pods of each ReplicaSet, and its status. */
final class ReplicaSetController extends Controller {
  private final ResourceType replicaSets;
  private final ResourceType pods;
  private final EventRecorder events;

  ReplicaSetController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events) {
    super(store, types, timers);
    this.replicaSets = type("apps", "replicasets");
    this.pods = type("", "pods");
    this.events = events;
    on(replicaSets, Controller::self);
    on(pods, e -> owner(e, "ReplicaSet"));
  }

  @Override
  protected String name() {
    return "replicaset-controller";
  }

  void start() {
    start(List.of(replicaSets));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(replicaSets, namespace, name);
    if (found.isEmpty() || found.get().at("/metadata/deletionTimestamp").isTextual()) {
      return;
    }
    ObjectNode rs = found.get();
    String uid = rs.at("/metadata/uid").asText();
    List<ObjectNode> owned = new ArrayList<>(
        store.list(pods, namespace, p -> ownedBy(p, uid) && !p.at("/metadata/deletionTimestamp").isTextual()).items());
    int desired = rs.at("/spec/replicas").asInt(1);
    int diff = desired - owned.size();
    if (diff > 0) {
      for (int i = 0; i < diff; i++) {
        ObjectNode pod = store.create(pods, newPod(rs), false);
        owned.add(pod);
        events.normal(rs, "replicaset-controller", "SuccessfulCreate", "Created pod: " + pod.at("/metadata/name").asText());
      }
    } else if (diff < 0) {
      owned.sort(Comparator.comparing((ObjectNode p) -> ready(p) ? 1 : 0)
          .thenComparing(p -> p.at("/metadata/creationTimestamp").asText(), Comparator.reverseOrder()));
      for (ObjectNode p : owned.subList(0, -diff)) {
        try {
          store.delete(pods, namespace, p.at("/metadata/name").asText(), null, false);
          events.normal(rs, "replicaset-controller", "SuccessfulDelete", "Deleted pod: " + p.at("/metadata/name").asText());
        } catch (ApiException e) {
          if (e.code() != 404) {
            throw e;
          }
        }
      }
      owned = new ArrayList<>(owned.subList(-diff, owned.size()));
    }
    long ready = owned.stream().filter(ReplicaSetController::ready).count();
    ObjectNode status = Json.object();
    status.put("replicas", owned.size());
    status.put("fullyLabeledReplicas", owned.size());
    status.put("readyReplicas", ready);
    status.put("availableReplicas", ready);
    status.put("observedGeneration", rs.at("/metadata/generation").asLong(1));
    if (!status.equals(rs.get("status"))) {
      ObjectNode next = rs.deepCopy();
      next.set("status", status);
      store.update(replicaSets, next, ResourceStore.Part.STATUS, false);
    }
  }

  static boolean ownedBy(ObjectNode o, String uid) {
    for (var ref : o.at("/metadata/ownerReferences")) {
      if (uid.equals(ref.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  static boolean ready(ObjectNode pod) {
    for (var c : pod.at("/status/conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }

  private static ObjectNode newPod(ObjectNode rs) {
    ObjectNode template = (ObjectNode) rs.at("/spec/template");
    ObjectNode pod = Json.object();
    ObjectNode meta = pod.putObject("metadata");
    meta.put("generateName", rs.at("/metadata/name").asText() + "-");
    meta.put("namespace", rs.at("/metadata/namespace").asText());
    if (template.at("/metadata/labels").isObject()) {
      meta.set("labels", template.at("/metadata/labels").deepCopy());
    }
    if (template.at("/metadata/annotations").isObject()) {
      meta.set("annotations", template.at("/metadata/annotations").deepCopy());
    }
    ArrayNode owners = meta.putArray("ownerReferences");
    owners.addObject()
        .put("apiVersion", "apps/v1")
        .put("kind", "ReplicaSet")
        .put("name", rs.at("/metadata/name").asText())
        .put("uid", rs.at("/metadata/uid").asText())
        .put("controller", true)
        .put("blockOwnerDeletion", true);
    pod.set("spec", template.path("spec").deepCopy());
    BuiltInDefaults.apply("", "Pod", pod); // what the API server adds to every pod created
    pod.putObject("status").put("phase", "Pending");
    return pod;
  }

  /** Whether a pod matches a ReplicaSet's selector (used by tests and adoption). */
  static boolean selects(ObjectNode rs, ObjectNode pod) {
    return Selectors.of(rs.at("/spec/selector")).test(pod);
  }
}
