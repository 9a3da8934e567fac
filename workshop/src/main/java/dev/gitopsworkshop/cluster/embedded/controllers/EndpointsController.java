package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.Selectors;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The endpoints and endpointslice controllers in one: for each Service with a selector, the
 * Endpoints of the same name and one EndpointSlice per port mapping, listing the pods it selects
 * that have an address (ready ones as addresses, the others as notReadyAddresses, or all of them
 * with publishNotReadyAddresses), each port's targetPort resolved against the pod's container
 * ports. Services without a selector keep the Endpoints their users write.
 */
final class EndpointsController extends Controller {
  static final String SERVICE_NAME = "kubernetes.io/service-name";
  static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  static final String CONTROLLER = "endpointslice-controller.k8s.io";
  private final ResourceType services;
  private final ResourceType pods;
  private final ResourceType endpoints;
  private final ResourceType slices;
  /** The Services with a selector, by namespace, kept from their events so that a pod's change costs no store lookup. */
  private final Map<String, Map<String, ObjectNode>> selecting = new java.util.concurrent.ConcurrentHashMap<>();

  EndpointsController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers) {
    super(store, types, timers);
    this.services = type("", "services");
    this.pods = type("", "pods");
    this.endpoints = type("", "endpoints");
    this.slices = type("discovery.k8s.io", "endpointslices");
    on(services, this::serviceChanged);
    on(pods, this::servicesOf);
  }

  @Override
  protected String name() {
    return "endpoint-controller";
  }

  void start() {
    for (ObjectNode svc : store.list(services, null, null).items()) {
      serviceChanged(new WatchEvent(WatchEvent.ADDED, ResourceStore.resource(services), svc, null, 0));
    }
    start(List.of(services));
  }

  private List<String> serviceChanged(WatchEvent e) {
    ObjectNode svc = e.object();
    Map<String, ObjectNode> inNamespace = selecting.computeIfAbsent(svc.at("/metadata/namespace").asText(),
        k -> new java.util.concurrent.ConcurrentHashMap<>());
    boolean selects = svc.at("/spec/selector").isObject() && !svc.at("/spec/selector").isEmpty();
    if (WatchEvent.DELETED.equals(e.type()) || !selects) {
      inNamespace.remove(svc.at("/metadata/name").asText());
    } else {
      inNamespace.put(svc.at("/metadata/name").asText(), svc);
    }
    return self(e);
  }

  /** The Services a pod change may concern: those of its namespace whose selector matched it before or now. */
  private List<String> servicesOf(WatchEvent e) {
    String ns = e.object().at("/metadata/namespace").asText();
    List<String> keys = new ArrayList<>();
    for (ObjectNode svc : selecting.getOrDefault(ns, Map.of()).values()) {
      var selects = selector(svc);
      if (selects.test(e.object()) || (e.previous() != null && selects.test(e.previous()))) {
        keys.add(key(svc));
      }
    }
    return keys;
  }

  private static java.util.function.Predicate<ObjectNode> selector(JsonNode svc) {
    ObjectNode s = Json.object();
    s.set("matchLabels", svc.at("/spec/selector").deepCopy());
    return Selectors.of(s);
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(services, namespace, name);
    if (found.isEmpty()) {
      store.get(endpoints, namespace, name).ifPresent(ep -> deleteIfPresent(endpoints, namespace, name));
      return;
    }
    ObjectNode svc = found.get();
    if (!svc.at("/spec/selector").isObject() || svc.at("/spec/selector").isEmpty()) {
      return;
    }
    boolean all = svc.at("/spec/publishNotReadyAddresses").asBoolean(false);
    List<ObjectNode> selected = new ArrayList<>(store.list(pods, namespace, selector(svc)).items());
    selected.removeIf(p -> p.at("/status/podIP").asText("").isEmpty() || PodTemplates.terminal(p) || PodTemplates.deleting(p));
    selected.sort(Comparator.comparing(p -> p.at("/status/podIP").asText()));
    Map<String, List<ObjectNode>> byPorts = new LinkedHashMap<>();
    Map<String, ArrayNode> portsOf = new LinkedHashMap<>();
    for (ObjectNode p : selected) {
      ArrayNode ports = ports(svc, p);
      if (ports.isEmpty() && !svc.at("/spec/ports").isEmpty()) {
        continue;
      }
      String k = Json.write(ports);
      byPorts.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
      portsOf.put(k, ports);
    }
    writeEndpoints(svc, byPorts, portsOf, all);
    writeSlices(svc, byPorts, portsOf, all);
  }

  private void writeEndpoints(ObjectNode svc, Map<String, List<ObjectNode>> byPorts, Map<String, ArrayNode> portsOf, boolean all) {
    String ns = svc.at("/metadata/namespace").asText();
    String name = svc.at("/metadata/name").asText();
    ObjectNode ep = Json.object();
    ObjectNode meta = ep.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    ObjectNode labels = svc.at("/metadata/labels").isObject() ? ((ObjectNode) svc.at("/metadata/labels")).deepCopy() : Json.object();
    if ("None".equals(svc.at("/spec/clusterIP").asText())) {
      labels.put("service.kubernetes.io/headless", "");
    }
    if (!labels.isEmpty()) {
      meta.set("labels", labels);
    }
    ArrayNode subsets = Json.array();
    byPorts.forEach((k, group) -> {
      ObjectNode subset = Json.object();
      for (ObjectNode p : group) {
        boolean ready = all || ReplicaSetController.ready(p);
        ObjectNode address = subset.withArray(ready ? "addresses" : "notReadyAddresses").addObject();
        address.put("ip", p.at("/status/podIP").asText());
        address.put("nodeName", p.at("/spec/nodeName").asText(Kubelet.NODE));
        address.set("targetRef", podRef(p));
      }
      subset.set("ports", portsOf.get(k).deepCopy());
      subsets.add(subset);
    });
    if (!subsets.isEmpty()) {
      ep.set("subsets", subsets);
    }
    Optional<ObjectNode> existing = store.get(endpoints, ns, name);
    if (existing.isEmpty()) {
      meta.putObject("annotations").put("endpoints.kubernetes.io/last-change-trigger-time", ResourceStore.now());
      store.create(endpoints, ep, false);
      return;
    }
    ObjectNode current = existing.get();
    if (current.path("subsets").equals(ep.path("subsets")) && current.at("/metadata/labels").equals(meta.path("labels"))) {
      return;
    }
    ObjectNode next = current.deepCopy();
    if (meta.has("labels")) {
      next.with("metadata").set("labels", meta.get("labels"));
    }
    next.with("metadata").with("annotations").put("endpoints.kubernetes.io/last-change-trigger-time", ResourceStore.now());
    if (ep.has("subsets")) {
      next.set("subsets", ep.get("subsets"));
    } else {
      next.remove("subsets");
    }
    store.update(endpoints, next, ResourceStore.Part.MAIN, false);
  }

  private void writeSlices(ObjectNode svc, Map<String, List<ObjectNode>> byPorts, Map<String, ArrayNode> portsOf, boolean all) {
    String ns = svc.at("/metadata/namespace").asText();
    String name = svc.at("/metadata/name").asText();
    List<ObjectNode> existing = new ArrayList<>(store.list(slices, ns, s ->
        name.equals(s.at("/metadata/labels/" + SERVICE_NAME.replace("/", "~1")).asText())
            && CONTROLLER.equals(s.at("/metadata/labels/" + MANAGED_BY.replace("/", "~1")).asText())).items());
    existing.sort(Comparator.comparing(s -> s.at("/metadata/creationTimestamp").asText() + s.at("/metadata/name").asText()));
    List<ObjectNode> wanted = new ArrayList<>();
    if (byPorts.isEmpty()) {
      wanted.add(slice(svc, List.of(), Json.array(), all));
    }
    byPorts.forEach((k, group) -> wanted.add(slice(svc, group, portsOf.get(k), all)));
    for (int i = 0; i < wanted.size(); i++) {
      ObjectNode want = wanted.get(i);
      if (i < existing.size()) {
        ObjectNode current = existing.get(i);
        if (current.path("endpoints").equals(want.path("endpoints")) && current.path("ports").equals(want.path("ports"))
            && current.at("/metadata/labels").equals(want.at("/metadata/labels"))) {
          continue;
        }
        ObjectNode next = current.deepCopy();
        next.with("metadata").set("labels", want.at("/metadata/labels"));
        next.set("endpoints", want.get("endpoints"));
        next.set("ports", want.get("ports"));
        store.update(slices, next, ResourceStore.Part.MAIN, false);
      } else {
        store.create(slices, want, false);
      }
    }
    for (int i = wanted.size(); i < existing.size(); i++) {
      deleteIfPresent(slices, ns, existing.get(i).at("/metadata/name").asText());
    }
  }

  private static ObjectNode slice(ObjectNode svc, List<ObjectNode> group, ArrayNode ports, boolean all) {
    ObjectNode slice = Json.object();
    ObjectNode meta = slice.putObject("metadata");
    meta.put("generateName", svc.at("/metadata/name").asText() + "-");
    meta.put("namespace", svc.at("/metadata/namespace").asText());
    ObjectNode labels = svc.at("/metadata/labels").isObject() ? ((ObjectNode) svc.at("/metadata/labels")).deepCopy() : Json.object();
    labels.put(SERVICE_NAME, svc.at("/metadata/name").asText());
    labels.put(MANAGED_BY, CONTROLLER);
    meta.set("labels", labels);
    meta.putArray("ownerReferences").add(PodTemplates.ownerReference(svc));
    slice.put("addressType", "IPv4");
    ArrayNode endpoints = slice.putArray("endpoints");
    for (ObjectNode p : group) {
      boolean ready = ReplicaSetController.ready(p);
      ObjectNode e = endpoints.addObject();
      e.putArray("addresses").add(p.at("/status/podIP").asText());
      e.putObject("conditions").put("ready", ready || all).put("serving", ready).put("terminating", false);
      e.put("nodeName", p.at("/spec/nodeName").asText(Kubelet.NODE));
      e.set("targetRef", podRef(p));
    }
    ArrayNode slicePorts = slice.putArray("ports");
    for (JsonNode p : ports) {
      ObjectNode sp = slicePorts.addObject();
      sp.put("name", p.path("name").asText(""));
      sp.put("port", p.path("port").asInt());
      sp.put("protocol", p.path("protocol").asText("TCP"));
    }
    return slice;
  }

  /** The service's ports with each targetPort resolved for this pod; a named port the pod lacks leaves it out. */
  private static ArrayNode ports(ObjectNode svc, ObjectNode pod) {
    ArrayNode out = Json.array();
    for (JsonNode sp : svc.at("/spec/ports")) {
      JsonNode target = sp.has("targetPort") ? sp.get("targetPort") : sp.path("port");
      int port = -1;
      if (target.canConvertToInt() && target.isNumber()) {
        port = target.asInt();
      } else if (target.asText().matches("\\d+")) {
        port = Integer.parseInt(target.asText());
      } else {
        for (JsonNode c : pod.at("/spec/containers")) {
          for (JsonNode cp : c.path("ports")) {
            if (target.asText().equals(cp.path("name").asText())) {
              port = cp.path("containerPort").asInt();
            }
          }
        }
      }
      if (port < 0) {
        continue;
      }
      ObjectNode p = out.addObject();
      if (sp.has("name")) {
        p.put("name", sp.path("name").asText());
      }
      p.put("port", port);
      p.put("protocol", sp.path("protocol").asText("TCP"));
    }
    return out;
  }

  private static ObjectNode podRef(ObjectNode pod) {
    ObjectNode ref = Json.object();
    ref.put("kind", "Pod");
    ref.put("namespace", pod.at("/metadata/namespace").asText());
    ref.put("name", pod.at("/metadata/name").asText());
    ref.put("uid", pod.at("/metadata/uid").asText());
    return ref;
  }
}
