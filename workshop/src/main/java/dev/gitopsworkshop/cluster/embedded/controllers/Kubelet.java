package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ContainerContext;
import dev.gitopsworkshop.cluster.embedded.ContainerLog;
import dev.gitopsworkshop.cluster.embedded.ContainerRuntime;
import dev.gitopsworkshop.cluster.embedded.ImageResolver;
import dev.gitopsworkshop.cluster.embedded.NodeRuntime;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoConfig;
import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoStandIn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler and the kubelet of the embedded cluster's one node, in the spirit of KWOK: a pod is
 * bound to the node, shows ContainerCreating, and after a short delay runs and is Ready. Containers
 * whose image a registered {@link ContainerRuntime} runs get real in-process behaviour, started off
 * the controller thread when the pod starts and closed when it goes; a start that throws shows
 * CrashLoopBackOff and is retried with a growing back-off. An image the {@link ImageResolver} does
 * not know shows ErrImagePull, then ImagePullBackOff, and never becomes ready.
 *
 * <p>Each container's output is kept in the node's {@link dev.gitopsworkshop.cluster.embedded.ContainerLogs}
 * ({@code kubectl logs}). A simulated container does what {@link SimulatedCommand} reads from its
 * command: it may end, and then the pod's restartPolicy decides: Always restarts it (with
 * CrashLoopBackOff's growing back-off), OnFailure restarts it unless it exited 0, Never does not;
 * a pod whose containers all ended for good is Succeeded, or Failed when one exited non-zero.
 */
public final class Kubelet extends Controller {
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
  public static final String NODE = "workshop";
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long RESTART_BACKOFF_MILLIS = 10_000;
  private static final long MAX_RESTART_BACKOFF_MILLIS = 300_000;
  private final ResourceType pods;
  private final EventRecorder events;
  private final long startDelayMillis;
  private final ContainerRuntimes runtimes;
  private final NodeRuntime node;
  private final Map<String, PodState> states = new ConcurrentHashMap<>();
  private final Set<String> pulled = ConcurrentHashMap.newKeySet();
  private final IpPool ips = new IpPool("10.42", 2);
  private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kubelet-runtime");
    t.setDaemon(true);
    return t;
  });
  private volatile String apiUrl;
  private volatile String token;
  private volatile String caPem;

  Kubelet(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events,
      long startDelayMillis, ContainerRuntimes runtimes, NodeRuntime node) {
    super(store, types, timers);
    this.node = node;
    this.pods = type("", "pods");
    this.events = events;
    this.startDelayMillis = startDelayMillis;
    this.runtimes = runtimes;
    on(pods, this::podChanged);
  }

  @Override
  protected String name() {
    return "kubelet";
  }

  void start(String apiUrl, String token, String caPem) {
    this.apiUrl = apiUrl;
    this.token = token;
    this.caPem = caPem;
    for (ObjectNode p : store.list(pods, null, null).items()) {
      ips.reserve(p.at("/status/podIP").asText(null));
    }
    start(List.of(pods));
  }

  /** Gives containers of some images in-process behaviour (kept across a cluster reset). */
  public void register(ContainerRuntime runtime) {
    runtimes.register(runtime);
  }

  /** Decides which images can be pulled (kept across a cluster reset). */
  public void images(ImageResolver resolver) {
    runtimes.images(resolver);
  }

  private List<String> podChanged(WatchEvent e) {
    if (WatchEvent.DELETED.equals(e.type())) {
      killed(e.object());
      return List.of();
    }
    return self(e);
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(pods, namespace, name);
    if (found.isEmpty() || found.get().at("/metadata/deletionTimestamp").isTextual()) {
      return;
    }
    ObjectNode pod = found.get();
    String uid = pod.at("/metadata/uid").asText();
    if (pod.at("/spec/nodeName").asText("").isEmpty()) {
      bind(pod);
      states.put(uid, new PodState(System.currentTimeMillis() + startDelayMillis));
      enqueueAfter(key(pod), startDelayMillis);
      return;
    }
    PodState state = states.computeIfAbsent(uid, k -> new PodState(0));
    if (state.starting) {
      return;
    }
    if (state.imagesPulled && state.failure == null && state.handlesReady(needsRuntime(pod))) {
      run(pod, state);
      return;
    }
    long wait = state.notBefore - System.currentTimeMillis();
    if (wait > 0) {
      enqueueAfter(key(pod), wait);
      return;
    }
    if (!pullImages(pod, state)) {
      return;
    }
    if (state.failure != null) {
      crashed(pod, state);
    } else if (state.handles == null && needsRuntime(pod)) {
      state.starting = true;
      starter.submit(() -> startContainers(pod, state));
    } else {
      run(pod, state);
    }
  }

  private void bind(ObjectNode pod) {
    ObjectNode next = pod.deepCopy();
    next.with("spec").put("nodeName", NODE);
    ObjectNode bound = store.update(pods, next, ResourceStore.Part.MAIN, false);
    bound.set("status", PodStatuses.scheduled(bound));
    store.update(pods, bound, ResourceStore.Part.STATUS, false);
    events.normal(pod, "default-scheduler", "Scheduled",
        "Successfully assigned " + pod.at("/metadata/namespace").asText() + "/" + pod.at("/metadata/name").asText() + " to " + NODE);
  }

  /** Whether every image is there; otherwise ErrImagePull, then ImagePullBackOff until the next try. */
  private boolean pullImages(ObjectNode pod, PodState state) {
    List<String> missing = new ArrayList<>();
    for (JsonNode c : pod.at("/spec/containers")) {
      String image = c.path("image").asText();
      if (!runtimes.exists(image)) {
        missing.add(image);
      } else if (state.imagesPulled) {
        continue;
      } else if (pulled.add(image)) {
        events.normal(pod, "kubelet", "Pulling", "Pulling image \"" + image + "\"");
        events.normal(pod, "kubelet", "Pulled", "Successfully pulled image \"" + image + "\" in "
            + startDelayMillis + "ms (" + startDelayMillis + "ms including waiting)");
      } else {
        events.normal(pod, "kubelet", "Pulled", "Container image \"" + image + "\" already present on machine");
      }
    }
    if (missing.isEmpty()) {
      state.imagesPulled = true;
      return true;
    }
    String image = missing.get(0);
    String reason = state.showingPullError ? "ImagePullBackOff" : "ErrImagePull";
    String message = reason.equals("ErrImagePull")
        ? "failed to pull and unpack image \"" + image + "\": not found"
        : "Back-off pulling image \"" + image + "\"";
    ObjectNode next = pod.deepCopy();
    next.set("status", PodStatuses.waiting(pod, s -> missing.contains(s.path("image").asText()), reason, message, false));
    store.update(pods, next, ResourceStore.Part.STATUS, false);
    if (reason.equals("ErrImagePull")) {
      state.pullFailures++;
      state.showingPullError = true;
      events.normal(pod, "kubelet", "Pulling", "Pulling image \"" + image + "\"");
      events.warning(pod, "kubelet", "Failed", "Failed to pull image \"" + image + "\": " + message);
      events.warning(pod, "kubelet", "Failed", "Error: ErrImagePull");
      state.notBefore = System.currentTimeMillis() + 1000;
    } else {
      state.showingPullError = false;
      events.normal(pod, "kubelet", "BackOff", "Back-off pulling image \"" + image + "\"");
      events.warning(pod, "kubelet", "Failed", "Error: ImagePullBackOff");
      state.notBefore = System.currentTimeMillis() + backoff(state.pullFailures);
    }
    enqueueAfter(key(pod), state.notBefore - System.currentTimeMillis());
    return false;
  }

  private boolean needsRuntime(ObjectNode pod) {
    for (JsonNode c : pod.at("/spec/containers")) {
      if (runtimes.runtimeFor(c.path("image").asText()).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** Runs on the starter pool: starts the in-process containers, then hands back to the worker. */
  private void startContainers(ObjectNode pod, PodState state) {
    List<AutoCloseable> handles = new ArrayList<>();
    try {
      for (JsonNode c : pod.at("/spec/containers")) {
        String image = c.path("image").asText();
        Optional<ContainerRuntime> runtime = runtimes.runtimeFor(image);
        if (runtime.isEmpty()) {
          continue;
        }
        ContainerLog log = node.logs().start(pod.at("/metadata/uid").asText(), c.path("name").asText());
        state.run(c).log = log;
        ContainerContext ctx = new ContainerContext(pod.at("/metadata/namespace").asText(),
            pod.at("/metadata/name").asText(), c.path("name").asText(), image, apiUrl, token, caPem, log);
        try {
          handles.add(runtime.get().start(ctx));
        } catch (Exception | LinkageError e) {
          LOG.warn("container {} of pod {}/{} ({}) failed to start", c.path("name").asText(), pod.at("/metadata/namespace").asText(),
              pod.at("/metadata/name").asText(), image, e);
          handles.forEach(Kubelet::closeQuietly);
          handles.clear();
          String message = e.getMessage() == null ? e.toString() : e.getMessage();
          log.write(message);
          node.logs().end(pod.at("/metadata/uid").asText(), c.path("name").asText());
          state.failure = new Failure(c.path("name").asText(), message);
          break;
        }
      }
    } finally {
      state.started(handles);
      enqueue(key(pod));
    }
  }

  private void crashed(ObjectNode pod, PodState state) {
    Failure f = state.failure;
    ObjectNode next = pod.deepCopy();
    next.set("status", PodStatuses.waiting(pod, s -> f.container().equals(s.path("name").asText()), "CrashLoopBackOff",
        "back-off restarting failed container " + f.container() + ": " + f.message(), true));
    store.update(pods, next, ResourceStore.Part.STATUS, false);
    ContainerRun run = state.runs.get(f.container());
    if (run != null) {
      run.restarts++;
      run.lastTerminated = terminatedOf(next, f.container());
    }
    state.failure = null;
    state.restarts++;
    events.warning(pod, "kubelet", "BackOff", "Back-off restarting failed container " + f.container() + " in pod "
        + pod.at("/metadata/name").asText() + "_" + pod.at("/metadata/namespace").asText() + ": " + f.message());
    state.notBefore = System.currentTimeMillis() + backoff(state.restarts);
    enqueueAfter(key(pod), state.notBefore - System.currentTimeMillis());
  }

  /**
   * Starts what may start, ends what has run its course, restarts per the restart policy, and
   * writes the pod's status from its containers' runs; comes back when the next of those is due.
   */
  private void run(ObjectNode pod, PodState state) {
    if (state.ip == null) {
      state.ip = ips.allocate();
    }
    String uid = pod.at("/metadata/uid").asText();
    String policy = pod.at("/spec/restartPolicy").asText("Always");
    long now = System.currentTimeMillis();
    List<ContainerRun> runs = new ArrayList<>();
    for (JsonNode c : pod.at("/spec/containers")) {
      runs.add(state.run(c));
    }
    for (ContainerRun r : runs) {
      if (r.done()) {
        continue;
      }
      if (r.running() && now >= r.endsAt) {
        finish(pod, r, r.ended(now), policy, now);
      }
      if (!r.running() && !r.done() && now >= r.notBefore) {
        start(pod, state, r, policy, now);
      }
      if (r.running() && r.standIn != null) {
        probe(pod, state, r, policy, now);
      }
    }
    ObjectNode status = PodStatuses.of(pod, state.ip, runs);
    if (!sameStatus(status, pod.path("status"))) {
      ObjectNode next = pod.deepCopy();
      next.set("status", status);
      store.update(pods, next, ResourceStore.Part.STATUS, false);
    }
    state.running = runs.stream().anyMatch(r -> !r.done());
    long due = Long.MAX_VALUE;
    for (ContainerRun r : runs) {
      if (r.running()) {
        due = Math.min(due, r.endsAt);
        for (Prober.State probe : new Prober.State[] {r.readiness, r.liveness}) {
          if (probe != null) {
            due = Math.min(due, probe.nextAt);
          }
        }
      } else if (!r.done()) {
        due = Math.min(due, r.notBefore);
      }
    }
    if (due != Long.MAX_VALUE) {
      enqueueAfter(key(pod), Math.max(1, due - System.currentTimeMillis()));
    }
  }

  private void start(ObjectNode pod, PodState state, ContainerRun r, String policy, long now) {
    String uid = pod.at("/metadata/uid").asText();
    String image = r.spec.path("image").asText();
    boolean inProcess = runtimes.runtimeFor(image).isPresent();
    ContainerLog log = inProcess ? r.log : node.logs().start(uid, r.name);
    r.started(now, inProcess ? "Always" : policy, log);
    if (!inProcess) {
      ContainerOutput.started(log, pod, r);
      if (PodinfoConfig.isPodinfo(image)) {
        ObjectNode withIp = pod.deepCopy();
        withIp.with("status").put("podIP", state.ip);
        PodinfoStandIn standIn = new PodinfoStandIn(PodinfoConfig.of(withIp, r.spec));
        node.ports().serve(uid, r.name, standIn);
        r.answeredBy(standIn, now);
      }
    }
    events.normal(pod, "kubelet", "Created", "Created container: " + r.name);
    events.normal(pod, "kubelet", "Started", "Started container " + r.name);
  }

  /** A container's run ended: the restart policy decides whether it starts again, after a back-off. */
  private void finish(ObjectNode pod, ContainerRun r, ObjectNode terminated, String policy, long now) {
    String uid = pod.at("/metadata/uid").asText();
    node.logs().end(uid, r.name);
    node.ports().stop(uid, r.name);
    int code = terminated.path("exitCode").asInt();
    boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && code != 0);
    if (!restart) {
      r.finalState = terminated;
      return;
    }
    r.lastTerminated = terminated;
    r.restarts++;
    long backoff = Math.min(MAX_RESTART_BACKOFF_MILLIS, RESTART_BACKOFF_MILLIS << Math.min(r.restarts - 1, 5));
    r.notBefore = now + backoff;
    String where = pod.at("/metadata/name").asText() + "_" + pod.at("/metadata/namespace").asText() + "(" + uid + ")";
    r.backOffMessage = "back-off " + backoff / 1000 + "s restarting failed container=" + r.name + " pod=" + where;
    events.warning(pod, "kubelet", "BackOff", "Back-off restarting failed container " + r.name + " in pod " + where);
  }

  /** Runs the container's due probes against its stand-in; a failed liveness probe restarts it. */
  private void probe(ObjectNode pod, PodState state, ContainerRun r, String policy, long now) {
    for (Prober.State probe : new Prober.State[] {r.readiness, r.liveness}) {
      if (probe == null || now < probe.nextAt) {
        continue;
      }
      String failure = Prober.run(probe.spec, r.spec, r.standIn, state.ip);
      probe.record(failure == null);
      probe.nextAt = now + probe.periodMillis();
      if (failure != null) {
        events.warning(pod, "kubelet", "Unhealthy", probe.kind + " probe failed: " + failure);
      }
      if (probe == r.readiness) {
        r.probeReady = probe.passing;
      } else if (!probe.passing) {
        events.normal(pod, "kubelet", "Killing", "Container " + r.name + " failed liveness probe, will be restarted");
        finish(pod, r, r.ended(now, 137), policy.equals("Never") ? "Never" : "Always", now);
        r.notBefore = now;
        r.backOffMessage = null;
        return;
      }
    }
  }

  private static ObjectNode terminatedOf(ObjectNode pod, String container) {
    for (JsonNode s : pod.at("/status/containerStatuses")) {
      if (container.equals(s.path("name").asText()) && s.at("/lastState/terminated").isObject()) {
        return (ObjectNode) s.at("/lastState/terminated").deepCopy();
      }
    }
    return null;
  }

  private static boolean sameStatus(JsonNode a, JsonNode b) {
    return a.equals(b);
  }

  private void killed(ObjectNode pod) {
    PodState state = states.remove(pod.at("/metadata/uid").asText());
    if (state == null) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (JsonNode c : pod.at("/spec/containers")) {
      names.add(c.path("name").asText());
      ContainerRun r = state.runs.get(c.path("name").asText());
      if (r != null && r.running()) {
        events.normal(pod, "kubelet", "Killing", "Stopping container " + c.path("name").asText());
      }
    }
    node.logs().forget(pod.at("/metadata/uid").asText(), names);
    node.ports().forget(pod.at("/metadata/uid").asText());
    ips.release(state.ip);
    starter.submit(state::stop);
  }

  /** Stops every in-process container (a cluster reset or shutdown). */
  void stopAll() {
    node.logs().clear();
    for (String uid : List.copyOf(states.keySet())) {
      PodState state = states.remove(uid);
      if (state != null) {
        state.stop();
      }
    }
  }

  private static long backoff(int failures) {
    return Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(Math.max(0, failures - 1), 5));
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("a container did not stop cleanly", e);
    }
  }

  @Override
  public void close() {
    super.close();
    stopAll();
    starter.shutdownNow();
  }

  private record Failure(String container, String message) {}

  /** What this kubelet remembers of one pod between reconciles. */
  private static final class PodState {
    volatile long notBefore;
    volatile boolean starting;
    volatile boolean running;
    volatile Failure failure;
    volatile String ip;
    volatile int restarts;
    volatile int pullFailures;
    volatile boolean showingPullError;
    volatile boolean imagesPulled;
    private volatile List<AutoCloseable> handles;
    private boolean stopped;
    final Map<String, ContainerRun> runs = new LinkedHashMap<>();

    synchronized ContainerRun run(JsonNode spec) {
      return runs.computeIfAbsent(spec.path("name").asText(), n -> new ContainerRun(spec));
    }

    /** Whether the pod's in-process containers (if it needs any) have started. */
    boolean handlesReady(boolean needed) {
      return !needed || handles != null;
    }

    PodState(long notBefore) {
      this.notBefore = notBefore;
    }

    synchronized void started(List<AutoCloseable> started) {
      starting = false;
      if (stopped) {
        started.forEach(Kubelet::closeQuietly);
      } else if (failure == null) {
        handles = started;
      }
    }

    synchronized void stop() {
      stopped = true;
      if (handles != null) {
        handles.forEach(Kubelet::closeQuietly);
        handles = null;
      }
    }
  }
}
