package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about objects, as kube-controller-manager and the kubelet do: the same
 * event about the same object again raises {@code count} and {@code lastTimestamp} of the one
 * already written instead of adding another. Nothing is written into a namespace that is gone or
 * terminating.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;
  private final ResourceStore store;
  private final ResourceType events;
  private final ResourceType namespaces;
  private final Map<String, String> written = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  };

  public EventRecorder(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.events = types.byPlural("", "v1", "events").orElseThrow();
    this.namespaces = types.byPlural("", "v1", "namespaces").orElseThrow();
  }

  public void normal(ObjectNode about, String component, String reason, String message) {
    record(about, component, "Normal", reason, message);
  }

  public void warning(ObjectNode about, String component, String reason, String message) {
    record(about, component, "Warning", reason, message);
  }

  private synchronized void record(ObjectNode about, String component, String type, String reason, String message) {
    String namespace = about.at("/metadata/namespace").asText("default");
    Optional<ObjectNode> ns = store.get(namespaces, null, namespace);
    if (ns.isEmpty() || ns.get().at("/metadata/deletionTimestamp").isTextual()) {
      return;
    }
    String key = String.join("\n", about.at("/metadata/uid").asText(), component, type, reason, message);
    try {
      String existing = written.get(key);
      if (existing == null || !repeat(namespace, existing)) {
        written.put(key, create(about, namespace, component, type, reason, message));
      }
    } catch (ApiException e) {
      LOG.warn("cannot record the event {} {} for {}: {} (events are best effort)", type, reason, about.at("/metadata/name").asText(),
          e.getMessage());
    }
  }

  private boolean repeat(String namespace, String name) {
    Optional<ObjectNode> found = store.get(events, namespace, name);
    if (found.isEmpty()) {
      return false;
    }
    ObjectNode next = found.get();
    next.put("count", next.path("count").asInt(1) + 1);
    next.put("lastTimestamp", ResourceStore.now());
    store.update(events, next, ResourceStore.Part.MAIN, false);
    return true;
  }

  private String create(ObjectNode about, String namespace, String component, String type, String reason, String message) {
    String name = about.at("/metadata/name").asText();
    ObjectNode e = Json.object();
    ObjectNode meta = e.putObject("metadata");
    meta.put("name", name + "." + Long.toHexString(System.nanoTime()));
    meta.put("namespace", namespace);
    ObjectNode involved = e.putObject("involvedObject");
    involved.put("kind", about.path("kind").asText());
    involved.put("namespace", namespace);
    involved.put("name", name);
    involved.put("uid", about.at("/metadata/uid").asText());
    involved.put("apiVersion", about.path("apiVersion").asText());
    involved.put("resourceVersion", about.at("/metadata/resourceVersion").asText());
    e.put("reason", reason);
    e.put("message", message);
    ObjectNode source = e.putObject("source").put("component", component);
    if (component.equals("kubelet")) {
      source.put("host", Kubelet.NODE);
    }
    String now = ResourceStore.now();
    e.put("firstTimestamp", now);
    e.put("lastTimestamp", now);
    e.put("count", 1);
    e.put("type", type);
    e.putNull("eventTime");
    e.put("reportingComponent", component);
    e.put("reportingInstance", component.equals("kubelet") ? Kubelet.NODE : component + "-" + Kubelet.NODE);
    return store.create(events, e, false).at("/metadata/name").asText();
  }
}
