package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.cluster.WorkQueue;
import dev.gitopsworkshop.cluster.embedded.ContainerLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of an embedded Flux controller, as controller-runtime runs one: watches over HTTP turn
 * changes into {@code namespace/name} keys in a de-duplicating queue; one worker reconciles a key
 * at a time (or as many at a time as it has workers, never one key twice); a reconcile asks to run
 * again after its interval (or sooner after a failure). Its lines go to its container's log in
 * Flux's JSON format ({@link FluxLog}).
 */
public abstract class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  protected final FluxApi api;
  private final String name;
  private final int workers;
  private volatile FluxLog log = FluxLog.discard();
  private final ThreadLocal<FluxLog.Reconcile> current = new ThreadLocal<>();
  private final List<AutoCloseable> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final WorkQueue queue;
  private final java.util.Map<String, String> seenSpecs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  protected Reconciler(FluxApi api, String name) {
    this(api, name, 1);
  }

  /** With {@code workers} reconciles at a time (Flux's {@code --concurrent}). */
  protected Reconciler(FluxApi api, String name, int workers) {
    this.api = api;
    this.name = name;
    this.workers = workers;
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    this.queue = new WorkQueue(name, timers, this::process, workers);
  }

  /** The kind this controller reconciles, which names it in its log lines; null when it has none. */
  protected FluxApi.Kind kind() {
    return null;
  }

  /** Where its log lines go: its container's log. */
  public void logTo(ContainerLog out) {
    this.log = new FluxLog(out);
  }

  /** The log of a reconcile of an object of {@code kind} (for a controller of several kinds). */
  protected FluxLog.Reconcile log(FluxApi.Kind kind, String namespace, String name) {
    return log.reconcile(kind, namespace, name);
  }

  /** The log of the reconcile running on this thread. */
  protected FluxLog.Reconcile log() {
    FluxLog.Reconcile r = current.get();
    return r != null ? r : log.reconcile(kind(), "", "");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Reconciles one object; returns how long until it should run again (millis), or -1 for never. */
  protected abstract long reconcile(String namespace, String name);

  /** Watches a kind in all namespaces; each object seen is mapped to the keys to reconcile. */
  protected void watch(FluxApi.Kind kind, Function<JsonNode, List<String>> keys) {
    threads.add(daemon(() -> watches.add(api.watch(kind, o -> keys.apply(o).forEach(this::enqueue), () -> running)),
        "watch " + kind.plural()));
  }

  /**
   * The keys of an object of the controller's own kind, unless only its status changed (its own
   * status writes must not trigger it again); a spec change or a reconcile request does.
   */
  protected List<String> whenSpecOrRequestChanged(JsonNode obj) {
    String key = key(obj);
    String spec = obj.at("/metadata/generation").asText() + "|" + FluxStatus.requestedAt(obj) + "|" + obj.at("/metadata/uid").asText()
        + "|" + obj.at("/metadata/deletionTimestamp").asText();
    return spec.equals(seenSpecs.put(key, spec)) ? List.of() : List.of(key);
  }

  public static String key(JsonNode obj) {
    return obj.at("/metadata/namespace").asText() + "/" + obj.at("/metadata/name").asText();
  }

  public void start() {
    FluxApi.Kind kind = kind();
    if (kind != null) {
      Object[] controller = {"controller", kind.kind().toLowerCase(), "controllerGroup",
          kind.apiVersion().substring(0, kind.apiVersion().indexOf('/')), "controllerKind", kind.kind()};
      log.info(null, "Starting Controller", controller);
      Object[] withWorkers = java.util.Arrays.copyOf(controller, controller.length + 2);
      withWorkers[controller.length] = "worker count";
      withWorkers[controller.length + 1] = workers;
      log.info(null, "Starting workers", withWorkers);
    }
    threads.forEach(Thread::start);
    queue.start();
  }

  public void enqueue(String key) {
    queue.add(key);
  }

  private void process(String key) {
    String ns = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    long again;
    current.set(log.reconcile(kind(), ns, name));
    try {
      again = reconcile(ns, name);
    } catch (RuntimeException e) {
      LOG.warn("{} failed to reconcile {}, trying again in 2s", this.name, key, e);
      log().error("Reconciler error", String.valueOf(e.getMessage()));
      again = 2000;
    } finally {
      current.remove();
    }
    if (again >= 0) {
      queue.runAgainAfter(key, again);
    }
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.debug("{}: closing a watch failed", name, e);
      }
    }
    queue.close();
    timers.shutdownNow();
  }
}
