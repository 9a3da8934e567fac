package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background cascading deletion: when an object goes, every object whose ownerReferences name its
 * uid goes too, and so on down (Deployment, ReplicaSets, Pods). It keeps, like the real garbage
 * collector's graph, an index from owner uid to dependents, fed by one watch on everything, so a
 * deletion costs the number of its dependents, not a scan of the store. An object whose owners
 * are all gone (at start-up, or created pointing at a gone owner) is collected too.
 */
final class GarbageCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private final ResourceStore store;
  private final ResourceTypes types;
  private final Thread thread;
  private final ResourceStore.Subscription subscription;
  private final Map<String, Set<Ref>> dependents = new HashMap<>();
  private final Set<String> live = new HashSet<>();
  private volatile boolean running = true;

  private record Ref(String resource, String namespace, String name, String uid) {}

  GarbageCollector(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.types = types;
    this.subscription = store.watch(null, null, null, 0);
    this.thread = new Thread(this::loop, "garbage-collector");
    this.thread.setDaemon(true);
  }

  void start() {
    Map<String, List<ObjectNode>> all = store.snapshot();
    all.values().forEach(items -> items.forEach(o -> live.add(uid(o))));
    all.forEach((resource, items) -> items.forEach(o -> added(resource, o)));
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        WatchEvent e = subscription.poll(500, TimeUnit.MILLISECONDS);
        if (e != null) {
          handle(e);
        }
      } catch (InterruptedException ex) {
        return;
      } catch (RuntimeException ex) {
        LOG.error("the garbage collector failed on an event (it keeps collecting)", ex);
      }
    }
  }

  private void handle(WatchEvent e) {
    ObjectNode o = e.object();
    switch (e.type()) {
      case WatchEvent.ADDED -> {
        live.add(uid(o));
        added(e.resource(), o);
      }
      case WatchEvent.MODIFIED -> {
        forget(e.resource(), e.previous());
        added(e.resource(), o);
      }
      default -> {
        live.remove(uid(o));
        forget(e.resource(), o);
        Set<Ref> orphans = dependents.remove(uid(o));
        if (orphans != null) {
          orphans.forEach(this::delete);
        }
      }
    }
  }

  /** Indexes an object under each owner, or deletes it when none of its owners exists. */
  private void added(String resource, ObjectNode o) {
    JsonNode refs = o.at("/metadata/ownerReferences");
    if (!refs.isArray() || refs.isEmpty()) {
      return;
    }
    Ref ref = new Ref(resource, o.at("/metadata/namespace").asText(null), o.at("/metadata/name").asText(), uid(o));
    boolean ownerAlive = false;
    for (JsonNode r : refs) {
      String owner = r.path("uid").asText();
      ownerAlive |= live.contains(owner);
      dependents.computeIfAbsent(owner, k -> new HashSet<>()).add(ref);
    }
    if (!ownerAlive) {
      delete(ref);
    }
  }

  private void forget(String resource, ObjectNode o) {
    if (o == null) {
      return;
    }
    Ref ref = new Ref(resource, o.at("/metadata/namespace").asText(null), o.at("/metadata/name").asText(), uid(o));
    for (JsonNode r : o.at("/metadata/ownerReferences")) {
      Set<Ref> set = dependents.get(r.path("uid").asText());
      if (set != null) {
        set.remove(ref);
      }
    }
  }

  private void delete(Ref ref) {
    ResourceType type = typeOf(ref.resource());
    if (type == null) {
      return;
    }
    try {
      store.delete(type, ref.namespace(), ref.name(), ref.uid(), false);
    } catch (ApiException e) {
      LOG.debug("collecting {} {}/{}: already gone, or a new object of the same name ({})", ref.resource(), ref.namespace(), ref.name(),
          e.getMessage());
    }
  }

  private ResourceType typeOf(String resource) {
    for (ResourceType t : types.all()) {
      if (ResourceStore.resource(t).equals(resource)) {
        return t;
      }
    }
    return null;
  }

  private static String uid(ObjectNode o) {
    return o.at("/metadata/uid").asText();
  }

  @Override
  public void close() {
    running = false;
    subscription.close();
    thread.interrupt();
  }
}
