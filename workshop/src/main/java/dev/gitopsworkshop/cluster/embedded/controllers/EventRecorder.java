package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;

/** Writes core/v1 Events about objects, as kube-controller-manager and the kubelet do. */
public final class EventRecorder {
  private final ResourceStore store;
  private final ResourceType events;

  public EventRecorder(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.events = types.byPlural("", "v1", "events").orElseThrow();
  }

  public void normal(ObjectNode about, String component, String reason, String message) {
    record(about, component, "Normal", reason, message);
  }

  public void warning(ObjectNode about, String component, String reason, String message) {
    record(about, component, "Warning", reason, message);
  }

  private void record(ObjectNode about, String component, String type, String reason, String message) {
    String namespace = about.at("/metadata/namespace").asText("default");
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
    e.putObject("source").put("component", component);
    String now = ResourceStore.now();
    e.put("firstTimestamp", now);
    e.put("lastTimestamp", now);
    e.put("count", 1);
    e.put("type", type);
    e.put("reportingComponent", component);
    e.put("reportingInstance", "workshop");
    try {
      store.create(events, e, false);
    } catch (ApiException ignored) {
      // an event is best effort
    }
  }
}
