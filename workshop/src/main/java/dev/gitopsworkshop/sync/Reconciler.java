package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.cluster.KubeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The loop of an embedded Flux controller, as controller-runtime runs one: watches over HTTP turn
 * changes into {@code namespace/name} keys in a de-duplicating queue; one worker reconciles a key
 * at a time; a reconcile asks to run again after its interval (or sooner after a failure).
 */
abstract class Reconciler implements AutoCloseable {
  protected final KubeClient kube;
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final java.util.Map<String, java.util.concurrent.ScheduledFuture<?>> nextRun = new ConcurrentHashMap<>();
  private final java.util.Map<String, String> seenSpecs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  Reconciler(KubeClient kube, String name) {
    this.kube = kube;
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    threads.add(daemon(this::work, name));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Reconciles one object; returns how long until it should run again (millis), or -1 for never. */
  protected abstract long reconcile(String namespace, String name);

  /** Watches a collection; each event's object is mapped to the keys to reconcile. */
  protected void watch(String collectionPath, Function<JsonNode, List<String>> keys) {
    threads.add(daemon(() -> kube.watch(collectionPath, e -> keys.apply(e.path("object")).forEach(this::enqueue), () -> running),
        "watch " + collectionPath));
  }

  /**
   * The keys of an object of the controller's own kind, unless only its status changed (its own
   * status writes must not trigger it again); a spec change or a reconcile request does.
   */
  protected List<String> whenSpecOrRequestChanged(JsonNode obj) {
    String key = key(obj);
    String spec = obj.at("/metadata/generation").asText() + "|" + FluxStatus.requestedAt(obj) + "|" + obj.at("/metadata/uid").asText();
    return spec.equals(seenSpecs.put(key, spec)) ? List.of() : List.of(key);
  }

  static String key(JsonNode obj) {
    return obj.at("/metadata/namespace").asText() + "/" + obj.at("/metadata/name").asText();
  }

  void start() {
    threads.forEach(Thread::start);
  }

  void enqueue(String key) {
    if (queued.add(key)) {
      queue.add(key);
    }
  }

  private void work() {
    while (running) {
      String key;
      try {
        key = queue.poll(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) {
        continue;
      }
      queued.remove(key);
      String ns = key.substring(0, key.indexOf('/'));
      String name = key.substring(key.indexOf('/') + 1);
      long again;
      try {
        again = reconcile(ns, name);
      } catch (RuntimeException e) {
        again = 2000;
      }
      if (again >= 0 && running) {
        long delay = again;
        // one timer per object: a new reconcile replaces the pending one instead of adding to it
        nextRun.compute(key, (k, pending) -> {
          if (pending != null) {
            pending.cancel(false);
          }
          return timers.schedule(() -> enqueue(key), delay, TimeUnit.MILLISECONDS);
        });
      }
    }
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    timers.shutdownNow();
  }
}
