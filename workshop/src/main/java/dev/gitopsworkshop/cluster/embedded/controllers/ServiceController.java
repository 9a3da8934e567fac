package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/** Gives Services a ClusterIP (10.43.x.y) and NodePort Services a node port, as the API server would. */
final class ServiceController extends Controller {
  private final ResourceType services;
  private final IpPool clusterIps = new IpPool("10.43", 1);

  ServiceController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers) {
    super(store, types, timers);
    this.services = type("", "services");
    on(services, e -> {
      if (WatchEvent.DELETED.equals(e.type())) {
        clusterIps.release(e.object().at("/spec/clusterIP").asText(null));
        return List.of();
      }
      return self(e);
    });
  }

  @Override
  protected String name() {
    return "service-controller";
  }

  void start() {
    for (ObjectNode s : store.list(services, null, null).items()) {
      clusterIps.reserve(s.at("/spec/clusterIP").asText(null));
    }
    start(List.of(services));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(services, namespace, name);
    if (found.isEmpty()) {
      return;
    }
    ObjectNode svc = found.get();
    ObjectNode next = svc.deepCopy();
    ObjectNode spec = next.with("spec");
    boolean changed = false;
    if (!spec.has("clusterIP") || spec.path("clusterIP").asText().isEmpty()) {
      String ip = clusterIps.allocate();
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
      changed = true;
    } else {
      clusterIps.reserve(spec.path("clusterIP").asText());
    }
    String type = spec.path("type").asText("ClusterIP");
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      Set<Integer> used = usedNodePorts();
      int candidate = 30000 + Math.abs(name.hashCode() % 2768);
      for (JsonNode p : spec.path("ports")) {
        if (!p.has("nodePort")) {
          while (used.contains(candidate)) {
            candidate++;
          }
          ((ObjectNode) p).put("nodePort", candidate);
          used.add(candidate);
          changed = true;
        }
      }
    }
    if (changed) {
      store.update(services, next, ResourceStore.Part.MAIN, false);
    }
  }

  private Set<Integer> usedNodePorts() {
    Set<Integer> used = new HashSet<>();
    for (ObjectNode s : store.list(services, null, null).items()) {
      s.at("/spec/ports").forEach(p -> used.add(p.path("nodePort").asInt(0)));
    }
    return used;
  }
}
