package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeWatch;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.cluster.WorkQueue;
import dev.gitopsworkshop.cluster.embedded.ContainerLog;
import dev.gitopsworkshop.logging.FailureLog;
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
 * again after its interval (or sooner after a failure). Besides the lab's log, it writes Flux's
 * JSON lines to its container's log ({@link FluxLog}).
 */
public abstract class Reconciler implements AutoCloseable {
  protected final Kube api;
  private final List<AutoCloseable> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final WorkQueue queue;
  private final java.util.Map<String, String> seenSpecs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final List<KubeWatch.Builder> watched = new ArrayList<>();
  private volatile boolean running = true;
  private final String name;
  protected final Logger log = LoggerFactory.getLogger(getClass());
  private final int workers;
  private volatile FluxLog containerLog = FluxLog.discard();
  private final ThreadLocal<FluxLog.Reconcile> current = new ThreadLocal<>();
  private final FailureLog failures = new FailureLog(log);
  /** Whether the reconcile running on this thread reported a failure. */
  private final ThreadLocal<Boolean> failedThisRound = ThreadLocal.withInitial(() -> false);

  protected Reconciler(Kube api, String name) {
    this(api, name, 1);
  }

  /** With {@code workers} reconciles at a time (Flux's {@code --concurrent}). */
  protected Reconciler(Kube api, String name, int workers) {
    this.api = api;
    this.name = name;
    this.workers = workers;
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    this.queue = new WorkQueue(name, timers, this::process, workers);
  }

  /** The kind this controller reconciles, which names it in its container's log; null when it has none. */
  protected KubeKind kind() {
    return null;
  }

  /** Where its Flux log lines go: its container's log. */
  public void logTo(ContainerLog out) {
    this.containerLog = new FluxLog(out);
  }

  /** The container-log lines of a reconcile of an object of {@code kind} (for a controller of several kinds). */
  protected FluxLog.Reconcile containerLog(KubeKind kind, String namespace, String name) {
    return containerLog.reconcile(kind, namespace, name);
  }

  /** The container-log lines of the reconcile running on this thread. */
  protected FluxLog.Reconcile containerLog() {
    FluxLog.Reconcile r = current.get();
    return r != null ? r : containerLog.reconcile(kind(), "", "");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Reconciles one object; returns how long until it should run again (millis), or -1 for never. */
  protected abstract long reconcile(String namespace, String name);

  /** Watches a kind in all namespaces; each object seen is mapped to the keys to reconcile. */
  protected void watch(KubeKind kind, Function<JsonNode, List<String>> keys) {
    watched.add(KubeWatch.of(api, kind.apiVersion(), kind.kind()).listener((type, o) -> {
      if (running) {
        keys.apply(o).forEach(this::enqueue);
      }
    }));
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
    KubeKind kind = kind();
    if (kind != null) {
      Object[] controller = {"controller", kind.kind().toLowerCase(), "controllerGroup", kind.group(), "controllerKind", kind.kind()};
      containerLog.info(null, "Starting Controller", controller);
      Object[] withWorkers = java.util.Arrays.copyOf(controller, controller.length + 2);
      withWorkers[controller.length] = "worker count";
      withWorkers[controller.length + 1] = workers;
      containerLog.info(null, "Starting workers", withWorkers);
    }
    queue.start();
    watched.forEach(w -> watches.add(w.start()));
  }

  public void enqueue(String key) {
    queue.add(key);
  }

  /**
   * What a reconcile that writes its failure into the object's status also says in the lab's log,
   * once for each distinct failure of the object: its kind, namespace/name, reason and message.
   */
  protected void reportFailure(JsonNode obj, String reason, String message) {
    failedThisRound.set(true);
    failures.failed(key(obj), obj.path("kind").asText() + " " + key(obj) + ": " + reason + ": " + message, null);
  }

  /** Ready=False with the reason and message, on any Flux kind; the controller goes no further with the object. */
  private void refuse(JsonNode obj, String reason, String message) {
    reportFailure(obj, reason, message);
    var next = FluxStatus.handled(obj);
    next.set("conditions", FluxStatus.conditions(FluxStatus.condition("Ready", false, reason, message, obj),
        FluxStatus.condition("Stalled", true, reason, message, obj)));
    api.kind(obj.path("apiVersion").asText(), obj.path("kind").asText()).ifPresent(kind -> api.patchStatus(kind,
        obj.at("/metadata/namespace").asText(), obj.at("/metadata/name").asText(), FluxStatus.statusPatch(next)));
  }

  private void process(String key) {
    String ns = key.substring(0, key.indexOf('/'));
    String objectName = key.substring(key.indexOf('/') + 1);
    long again = -1;
    long started = System.nanoTime();
    failedThisRound.set(false);
    current.set(containerLog.reconcile(kind(), ns, objectName));
    try {
      again = reconcile(ns, objectName);
    } catch (FluxStatus.InvalidInterval e) {
      refuse(e.object, FluxStatus.InvalidInterval.REASON, e.getMessage());
      again = -1; // until the spec changes
    } catch (RuntimeException e) {
      failedThisRound.set(true);
      failures.failed(key, name + " could not reconcile " + key + " (trying again in 2 s): " + e, e);
      containerLog().error("Reconciler error", String.valueOf(e.getMessage()));
      again = 2000;
    } finally {
      current.remove();
      log.debug("{}: reconciled {} in {} ms{}", name, key, (System.nanoTime() - started) / 1_000_000,
          again >= 0 ? ", again in " + again + " ms" : "");
    }
    if (!failedThisRound.get()) {
      failures.succeeded(key);
    }
    if (again >= 0) {
      queue.runAgainAfter(key, again);
    }
  }

  @Override
  public void close() {
    running = false;
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        log.debug("{}: closing a watch failed (closing anyway)", name, e);
      }
    }
    queue.close();
    timers.shutdownNow();
  }
}
