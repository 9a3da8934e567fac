package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.WorkQueue;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import dev.gitopsworkshop.logging.FailureLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * A controller the way kube-controller-manager writes them: changes to the watched kinds become
 * keys ({@code namespace/name}) in a de-duplicating work queue, and one worker reconciles one key
 * at a time, idempotently, from what the store holds now. A conflict or failure puts the key back.
 */
abstract class Controller implements AutoCloseable {
  protected final ResourceStore store;
  protected final ResourceTypes types;
  private final WorkQueue queue;
  private final Map<String, Function<WatchEvent, List<String>>> routes = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private ResourceStore.Subscription subscription;
  private final FailureLog failures = new FailureLog(LoggerFactory.getLogger(getClass()));

  Controller(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers) {
    this.store = store;
    this.types = types;
    this.queue = new WorkQueue(name(), timers, this::process);
  }

  /** Reconciles one object (which may no longer exist). */
  protected abstract void reconcile(String namespace, String name);

  protected abstract String name();

  /** Routes changes of a kind to keys of this controller's own kind. */
  protected void on(ResourceType type, Function<WatchEvent, List<String>> keys) {
    routes.put(ResourceStore.resource(type), keys);
  }

  protected static List<String> self(WatchEvent e) {
    return List.of(key(e.object()));
  }

  /** The key of the controlling owner of an object, if it is of the given kind. */
  protected static List<String> owner(WatchEvent e, String kind) {
    ObjectNode o = e.object();
    for (var ref : o.at("/metadata/ownerReferences")) {
      if (kind.equals(ref.path("kind").asText()) && ref.path("controller").asBoolean(false)) {
        return List.of(o.at("/metadata/namespace").asText("") + "/" + ref.path("name").asText());
      }
    }
    return List.of();
  }

  protected static String key(ObjectNode o) {
    return o.at("/metadata/namespace").asText("") + "/" + o.at("/metadata/name").asText();
  }

  /** Starts watching and working; existing objects of the routed kinds are reconciled first. */
  void start(List<ResourceType> initial) {
    subscription = store.watch(null, null, null, 0);
    for (ResourceType t : initial) {
      for (ObjectNode o : store.list(t, null, null).items()) {
        enqueue(key(o));
      }
    }
    Thread watcher = new Thread(this::dispatch, name() + "-watch");
    watcher.setDaemon(true);
    threads.add(watcher);
    watcher.start();
    queue.start();
  }

  private void dispatch() {
    while (running) {
      try {
        WatchEvent e = subscription.poll(500, TimeUnit.MILLISECONDS);
        if (e == null) {
          continue;
        }
        Function<WatchEvent, List<String>> route = routes.get(e.resource());
        if (route != null) {
          route.apply(e).forEach(this::enqueue);
        }
      } catch (InterruptedException ex) {
        return;
      }
    }
  }

  protected void enqueue(String key) {
    queue.add(key);
  }

  protected void enqueueAfter(String key, long millis) {
    queue.addAfter(key, millis);
  }

  private void process(String key) {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    try {
      reconcile(ns.isEmpty() ? null : ns, key.substring(slash + 1));
      failures.succeeded(key);
    } catch (ApiException e) {
      if (e.code() != 409) { // a conflict is routine: someone wrote the object first, try again at once
        failures.failed(key, name() + " could not reconcile " + key + ": " + e.code() + " " + e.getMessage(), null);
      }
      enqueueAfter(key, e.code() == 409 ? 5 : 500);
    } catch (RuntimeException e) {
      failures.failed(key, name() + " could not reconcile " + key + " (trying again in 1 s): " + e, e);
      enqueueAfter(key, 1000);
    }
  }

  /** Deletes an object; false when it was gone already. */
  protected boolean deleteIfPresent(ResourceType type, String namespace, String name) {
    try {
      store.delete(type, namespace, name, null, false);
      return true;
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
      return false;
    }
  }

  /** A built-in v1 type of the core group ("") or of apps. */
  protected ResourceType type(String group, String plural) {
    return types.byPlural(group, "v1", plural).orElseThrow();
  }

  @Override
  public void close() {
    running = false;
    if (subscription != null) {
      subscription.close();
    }
    threads.forEach(Thread::interrupt);
    queue.close();
  }
}
