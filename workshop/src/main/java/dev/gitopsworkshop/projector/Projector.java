package dev.gitopsworkshop.projector;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.console.LabConsole;
import dev.gitopsworkshop.git.PushEvent;
import dev.gitopsworkshop.git.PushEvents;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.projector.Timeline.Kind;
import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.state.DataDir;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projector view's server side: it follows the cluster through the Kubernetes API (watches on
 * Deployments, Pods, Events and Flux's objects, from the lab's kubeconfig, so any cluster works),
 * the workshop repository through JGit and the Git server's push events, and the step in progress
 * through {@code step.json}. Changes are gathered for {@value #DEBOUNCE_MILLIS} ms, then one new
 * state goes to every open page.
 */
public final class Projector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Projector.class);
  public static final String PATH = "/projector";
  static final long DEBOUNCE_MILLIS = 150;
  private static final int COMMITS = 8;
  private static final ObjectMapper JSON = Mappers.JSON;

  private final DataDir dataDir;
  private final Kube client;
  private final ClusterView cluster;
  private final GitHistory git;
  private final Timeline timeline = new Timeline(40);
  private final Feed feed = new Feed(32);
  private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "projector");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean refreshPending = new AtomicBoolean();
  private final AtomicBoolean following = new AtomicBoolean();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<String, KindWatch> watches = new ConcurrentHashMap<>();
  private final ClusterChanges changes = new ClusterChanges(this::note);
  private volatile FileTime stepFileTime;
  private volatile String stepLine = "";
  private volatile boolean closed;

  private Projector(DataDir dataDir, Kube client) {
    this.dataDir = dataDir;
    this.client = client;
    this.cluster = new ClusterView(watches);
    this.git = new GitHistory(dataDir.git().resolve("workshop.git"));
  }

  /**
   * Starts following the lab and serves {@code /projector} (the page), {@code /projector/state}
   * (JSON) and {@code /projector/events} (server-sent events) on the lab's console.
   */
  public static Projector start(DataDir dataDir, Path kubeconfig, PushEvents pushes, LabConsole console) {
    Projector p = new Projector(dataDir, Kube.fromKubeconfig(kubeconfig));
    p.closeables.add(pushes.subscribe(p::pushed));
    p.checkStepFile();
    p.work.scheduleWithFixedDelay(p::checkStepFile, 250, 250, TimeUnit.MILLISECONDS);
    p.work.scheduleWithFixedDelay(p::refresh, 10, 10, TimeUnit.SECONDS); // a safety net under the watches
    ProjectorPages.register(console, p);
    return p;
  }

  /** The page's URL on a console: {@code http://127.0.0.1:PORT/projector}. */
  public static String url(String consoleUrl) {
    return consoleUrl + PATH;
  }

  Feed feed() {
    return feed;
  }

  /**
   * The cluster is watched from the first time someone looks (the page, its state or its stream),
   * so that a lab nobody projects (CI, {@code run --auto}, benchmarks) does not pay for the watches.
   * The first look waits, a bounded time, for the first lists.
   */
  private void follow() {
    if (!following.compareAndSet(false, true)) {
      return;
    }
    follow(ClusterView.DEPLOYMENTS, null, changes::deployment);
    follow(ClusterView.PODS, null, changes::pod);
    follow(ClusterView.EVENTS, "type=Warning", changes::event); // the room needs the warnings, not every Pulled
    for (ResourceDefinitionContext kind : ClusterView.FLUX) {
      follow(kind, null, (a, o) -> changes.flux(kind.getKind(), a, o));
    }
    try {
      for (KindWatch w : watches.values()) {
        w.awaitFirstAnswer(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The current state, built now (the page's first paint and plain HTTP clients). */
  String stateNow() {
    follow();
    refresh();
    return feed.latest();
  }

  private void follow(ResourceDefinitionContext kind, String fieldSelector, KindWatch.Listener listener) {
    KindWatch watch = new KindWatch(client, kind, fieldSelector, (a, o) -> {
      listener.changed(a, o);
      changed();
    });
    watches.put(kind.getKind(), watch);
    closeables.add(watch.start());
  }

  /** Something changed: one refresh after the debounce, however many changes come meanwhile. */
  private void changed() {
    if (!closed && refreshPending.compareAndSet(false, true)) {
      try {
        work.schedule(this::refresh, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        LOG.debug("no refresh: the projector is closing");
      }
    }
  }

  private synchronized void refresh() {
    refreshPending.set(false);
    if (closed) {
      return;
    }
    ObjectNode state = JSON.createObjectNode();
    Optional<CurrentStep> step = CurrentStep.read(dataDir);
    state.set("step", step.map(CurrentStep::toJson).orElse(null));
    ClusterView.Revisions revisions;
    try {
      revisions = cluster.fill(state);
      KindWatch pods = watches.get("Pod");
      state.put("cluster", pods != null && pods.served() ? "answering" : "not answering (yet)");
    } catch (RuntimeException e) {
      LOG.warn("the projector cannot read the cluster", e);
      state.put("cluster", "unreadable: " + e); // shown on the page too
      revisions = new ClusterView.Revisions(java.util.Set.of(), java.util.Set.of());
    }
    state.set("git", git.latest(COMMITS, revisions.applied(), revisions.fetched()));
    state.set("timeline", timeline.toJson());
    try {
      feed.publish(JSON.writeValueAsString(state));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void note(Kind kind, String text) {
    timeline.add(kind, text.replaceAll("(@sha1:[0-9a-f]{7})[0-9a-f]{33}", "$1")); // short revisions, as on the page
    changed();
  }

  private void pushed(PushEvent event) {
    if (!event.repository().startsWith("workshop")) {
      return;
    }
    String ref = event.ref().replaceFirst("^refs/heads/", "");
    String what = event.newId().matches("0+") ? "deleted" : git.describe(event.newId()).orElse(event.newId());
    note(Kind.PUSH, "push to " + ref + ": " + what);
  }

  private void checkStepFile() {
    Path file = CurrentStep.file(dataDir);
    FileTime time;
    try {
      time = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
    } catch (IOException e) {
      LOG.debug("cannot read the time of {}", file, e);
      return;
    }
    if (Objects.equals(time, stepFileTime)) {
      return;
    }
    stepFileTime = time;
    CurrentStep.read(dataDir).ifPresent(s -> {
      String line = "step " + s.id() + " " + s.title() + ": " + s.state().label();
      if (!line.equals(stepLine)) {
        stepLine = line;
        note(Kind.STEP, line);
      }
    });
    changed();
  }

  @Override
  public void close() {
    closed = true;
    feed.close();
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("the projector: closing {} failed (closing anyway)", c, e);
      }
    }
    work.shutdownNow();
    client.close();
  }
}
