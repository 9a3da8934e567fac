package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Background cascading deletion: when an object goes, every object whose ownerReferences name its
 * uid goes too (and so on down: Deployment, ReplicaSets, Pods). Objects in a deleted namespace are
 * deleted with it. Orphans found at start-up are collected.
 */
final class GarbageCollector implements AutoCloseable {
  private final ResourceStore store;
  private final ResourceTypes types;
  private final Thread thread;
  private final ResourceStore.Subscription subscription;
  private volatile boolean running = true;

  GarbageCollector(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.types = types;
    this.subscription = store.watch(null, null, null, 0);
    this.thread = new Thread(this::loop, "garbage-collector");
    this.thread.setDaemon(true);
  }

  void start() {
    collectOrphans();
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        WatchEvent e = subscription.poll(500, TimeUnit.MILLISECONDS);
        if (e == null || !WatchEvent.DELETED.equals(e.type())) {
          continue;
        }
        ObjectNode gone = e.object();
        if (e.resource().equals("/namespaces")) {
          deleteNamespaceContents(gone.at("/metadata/name").asText());
        }
        deleteDependents(gone.at("/metadata/uid").asText());
      } catch (InterruptedException ex) {
        return;
      } catch (RuntimeException ex) {
        // keep collecting
      }
    }
  }

  private void deleteDependents(String uid) {
    for (ResourceType t : uniqueTypes()) {
      for (ObjectNode o : store.list(t, null, obj -> ownedBy(obj, uid)).items()) {
        deleteQuietly(t, o);
      }
    }
  }

  private void deleteNamespaceContents(String namespace) {
    for (ResourceType t : uniqueTypes()) {
      if (t.namespaced()) {
        for (ObjectNode o : store.list(t, namespace, null).items()) {
          deleteQuietly(t, o);
        }
      }
    }
  }

  private void collectOrphans() {
    Set<String> uids = new HashSet<>();
    List<ResourceType> all = uniqueTypes();
    for (ResourceType t : all) {
      store.list(t, null, null).items().forEach(o -> uids.add(o.at("/metadata/uid").asText()));
    }
    for (ResourceType t : all) {
      for (ObjectNode o : store.list(t, null, null).items()) {
        JsonNode refs = o.at("/metadata/ownerReferences");
        boolean orphan = refs.isArray() && !refs.isEmpty();
        for (JsonNode r : refs) {
          orphan &= !uids.contains(r.path("uid").asText());
        }
        if (orphan) {
          deleteQuietly(t, o);
        }
      }
    }
  }

  /** One type per group/resource (versions share storage). */
  private List<ResourceType> uniqueTypes() {
    Set<String> seen = new HashSet<>();
    return types.all().stream().filter(t -> seen.add(ResourceStore.resource(t))).toList();
  }

  private static boolean ownedBy(ObjectNode o, String uid) {
    for (JsonNode r : o.at("/metadata/ownerReferences")) {
      if (uid.equals(r.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  private void deleteQuietly(ResourceType t, ObjectNode o) {
    try {
      store.delete(t, o.at("/metadata/namespace").asText(null), o.at("/metadata/name").asText(), null, false);
    } catch (ApiException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    running = false;
    subscription.close();
    thread.interrupt();
  }
}
