package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ContainerContext;
import dev.gitopsworkshop.cluster.embedded.ContainerRuntime;
import dev.gitopsworkshop.cluster.embedded.ImageResolver;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler and the kubelet of the embedded cluster's one node, in the spirit of KWOK: a pod is
 * bound to the node, shows ContainerCreating, and after a short delay runs and is Ready. Containers
 * whose image a registered {@link ContainerRuntime} runs get real in-process behaviour, started when
 * the pod starts and stopped when it goes. An image the {@link ImageResolver} does not know shows
 * ErrImagePull, then ImagePullBackOff, and never becomes ready.
 */
public final class Kubelet extends Controller {
  public static final String NODE = "workshop";
  private final ResourceType pods;
  private final EventRecorder events;
  private final long startDelayMillis;
  private final List<ContainerRuntime> runtimes = new CopyOnWriteArrayList<>();
  private final Map<String, List<AutoCloseable>> running = new ConcurrentHashMap<>();
  private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kubelet-runtime");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger nextIp = new AtomicInteger(10);
  private volatile ImageResolver images = ImageResolver.EVERY_IMAGE_EXISTS;
  private volatile String apiUrl;
  private volatile String token;
  private volatile String caPem;

  Kubelet(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events, long startDelayMillis) {
    super(store, types, timers);
    this.pods = type("", "pods");
    this.events = events;
    this.startDelayMillis = startDelayMillis;
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
    start(List.of(pods));
  }

  public void register(ContainerRuntime runtime) {
    runtimes.add(runtime);
  }

  public void images(ImageResolver resolver) {
    this.images = resolver;
  }

  private List<String> podChanged(WatchEvent e) {
    if (WatchEvent.DELETED.equals(e.type())) {
      stopContainers(e.object().at("/metadata/uid").asText());
      return List.of();
    }
    return self(e);
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(pods, namespace, name);
    if (found.isEmpty()) {
      return;
    }
    ObjectNode pod = found.get();
    if (pod.at("/spec/nodeName").asText("").isEmpty()) {
      bind(pod);
      return;
    }
    String phase = pod.at("/status/phase").asText("Pending");
    if (!phase.equals("Pending")) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (JsonNode c : pod.at("/spec/containers")) {
      if (!images.exists(c.path("image").asText())) {
        missing.add(c.path("image").asText());
      }
    }
    if (!missing.isEmpty()) {
      pullFailed(pod, missing);
      return;
    }
    run(pod);
  }

  private void bind(ObjectNode pod) {
    ObjectNode next = pod.deepCopy();
    next.with("spec").put("nodeName", NODE);
    ObjectNode bound = store.update(pods, next, ResourceStore.Part.MAIN, false);
    String now = ResourceStore.now();
    ObjectNode status = Json.object();
    status.put("phase", "Pending");
    ArrayNode conditions = status.putArray("conditions");
    conditions.addObject().put("type", "PodScheduled").put("status", "True").put("lastTransitionTime", now);
    status.put("hostIP", "10.0.0.10");
    status.putArray("hostIPs").addObject().put("ip", "10.0.0.10");
    status.put("qosClass", "BestEffort");
    ArrayNode statuses = status.putArray("containerStatuses");
    for (JsonNode c : pod.at("/spec/containers")) {
      ObjectNode s = statuses.addObject();
      s.put("name", c.path("name").asText());
      s.put("image", c.path("image").asText());
      s.put("imageID", "");
      s.put("ready", false);
      s.put("started", false);
      s.put("restartCount", 0);
      s.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
    }
    ObjectNode withStatus = bound.deepCopy();
    withStatus.set("status", status);
    store.update(pods, withStatus, ResourceStore.Part.STATUS, false);
    events.normal(pod, "default-scheduler", "Scheduled",
        "Successfully assigned " + pod.at("/metadata/namespace").asText() + "/" + pod.at("/metadata/name").asText() + " to " + NODE);
    enqueueAfter(key(pod), startDelayMillis);
  }

  private void pullFailed(ObjectNode pod, List<String> missing) {
    ObjectNode next = pod.deepCopy();
    boolean backOff = false;
    for (JsonNode s : next.at("/status/containerStatuses")) {
      if (missing.contains(s.path("image").asText())) {
        String current = s.at("/state/waiting/reason").asText();
        backOff = current.equals("ErrImagePull") || current.equals("ImagePullBackOff");
        String reason = backOff ? "ImagePullBackOff" : "ErrImagePull";
        String image = s.path("image").asText();
        ((ObjectNode) s).putObject("state").putObject("waiting").put("reason", reason).put("message",
            backOff ? "Back-off pulling image \"" + image + "\""
                : "failed to pull and unpack image \"" + image + "\": not found");
      }
    }
    store.update(pods, next, ResourceStore.Part.STATUS, false);
    if (!backOff) {
      events.warning(pod, "kubelet", "Failed", "Failed to pull image \"" + missing.get(0) + "\": not found");
      events.warning(pod, "kubelet", "Failed", "Error: ErrImagePull");
    }
    enqueueAfter(key(pod), backOff ? 5000 : 1000);
  }

  private void run(ObjectNode pod) {
    String uid = pod.at("/metadata/uid").asText();
    List<AutoCloseable> handles = new ArrayList<>();
    for (JsonNode c : pod.at("/spec/containers")) {
      String image = c.path("image").asText();
      for (ContainerRuntime r : runtimes) {
        if (r.runs(image)) {
          ContainerContext ctx = new ContainerContext(
              pod.at("/metadata/namespace").asText(), pod.at("/metadata/name").asText(), c.path("name").asText(), image, apiUrl, token, caPem);
          try {
            handles.add(starter.submit(() -> r.start(ctx)).get());
          } catch (Exception e) {
            crashed(pod, c.path("name").asText(), e);
            handles.forEach(Kubelet::closeQuietly);
            return;
          }
        }
      }
    }
    running.put(uid, handles);
    String now = ResourceStore.now();
    ObjectNode next = pod.deepCopy();
    ObjectNode status = next.with("status");
    status.put("phase", "Running");
    status.put("startTime", now);
    String ip = "10.42.0." + (nextIp.getAndIncrement() % 250 + 2);
    status.put("podIP", ip);
    status.putArray("podIPs").addObject().put("ip", ip);
    ArrayNode conditions = status.putArray("conditions");
    for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
      conditions.addObject().put("type", type).put("status", "True").put("lastTransitionTime", now);
    }
    for (JsonNode s : status.path("containerStatuses")) {
      ObjectNode cs = (ObjectNode) s;
      cs.put("ready", true);
      cs.put("started", true);
      cs.put("imageID", cs.path("image").asText() + "@sha256:" + "0".repeat(64));
      cs.put("containerID", "containerd://" + Long.toHexString(System.nanoTime()));
      cs.putObject("state").putObject("running").put("startedAt", now);
    }
    store.update(pods, next, ResourceStore.Part.STATUS, false);
    for (JsonNode c : pod.at("/spec/containers")) {
      events.normal(pod, "kubelet", "Pulled", "Container image \"" + c.path("image").asText() + "\" already present on machine");
      events.normal(pod, "kubelet", "Created", "Created container " + c.path("name").asText());
      events.normal(pod, "kubelet", "Started", "Started container " + c.path("name").asText());
    }
  }

  private void crashed(ObjectNode pod, String container, Exception e) {
    ObjectNode next = pod.deepCopy();
    int restarts = 0;
    for (JsonNode s : next.at("/status/containerStatuses")) {
      if (container.equals(s.path("name").asText())) {
        restarts = s.path("restartCount").asInt(0) + 1;
        ((ObjectNode) s).put("restartCount", restarts);
        String cause = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        ((ObjectNode) s).putObject("state").putObject("waiting").put("reason", "CrashLoopBackOff").put("message", String.valueOf(cause));
      }
    }
    store.update(pods, next, ResourceStore.Part.STATUS, false);
    events.warning(pod, "kubelet", "BackOff", "Back-off restarting failed container " + container);
    enqueueAfter(key(pod), Math.min(30_000, 1000L << Math.min(restarts, 5)));
  }

  private void stopContainers(String uid) {
    List<AutoCloseable> handles = running.remove(uid);
    if (handles != null) {
      handles.forEach(Kubelet::closeQuietly);
    }
  }

  /** Stops every in-process container (a cluster reset or shutdown). */
  void stopAll() {
    for (String uid : List.copyOf(running.keySet())) {
      stopContainers(uid);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // stopping anyway
    }
  }

  @Override
  public void close() {
    stopAll();
    super.close();
    starter.shutdownNow();
  }
}
