package dev.gitopsworkshop.tutorial.events;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Check;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes the guided runner look again: changes to the kinds the checks read (a watch per
 * kind; kinds a CRD adds later are watched once the CRD appears) and pushes to the workshop
 * repository (the Git server's server-sent events, or a look at the main of a Git host that sends
 * none every {@value RemoteMain#POLL_MILLIS} ms). Not a poll; a slow safety re-check is the
 * caller's.
 */
public final class LabEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LabEvents.class);
  private static final Check.Kind CRDS = new Check.Kind("apiextensions.k8s.io/v1", "CustomResourceDefinition");
  /** A clone takes a moment to write its files after its folder appears: look again after this. */
  private static final long SETTLE_MILLIS = 500;
  private final TutorialContext context;
  private final Semaphore changed = new Semaphore(0);
  private final List<Thread> threads = new ArrayList<>();
  private final List<AutoCloseable> watches = new CopyOnWriteArrayList<>();
  private final Set<Check.Kind> pending = new LinkedHashSet<>();
  private volatile boolean running = true;
  private volatile long lastPush;
  private volatile long firstDelete;

  public LabEvents(TutorialContext context, Collection<Check.Kind> kinds) {
    this.context = context;
    pending.addAll(kinds);
    pending.add(CRDS);
    watchWhatResolves();
    String events = context.lab().get("git", "eventsUrl");
    if (events != null) {
      PushEventStream pushes = new PushEventStream(events, context.lab().gitUsername(), context.lab().gitPassword());
      start("git push events", () -> pushes.follow(json -> {
        lastPush = System.nanoTime();
        changed.release();
      }, () -> running));
    } else {
      // a Git host that sends no events (--git-remote): look at its main now and then
      start("git polling", () -> new RemoteMain(context).follow(() -> {
        lastPush = System.nanoTime();
        changed.release();
      }, () -> running));
    }
    start("workspace", this::followWorkspace);
  }

  /** Starts a watch for each pending kind the cluster serves now; the others wait for their CRD. */
  private synchronized void watchWhatResolves() {
    if (running) {
      Kube.oneLook(() -> {
        watchServed();
        return null;
      });
    }
  }

  private void watchServed() {
    for (var it = pending.iterator(); it.hasNext(); ) {
      Check.Kind kind = it.next();
      boolean crds = kind.equals(CRDS);
      var watch = context.kube().watch(kind.apiVersion(), kind.kind(), type -> {
        if (crds) {
          watchWhatResolves();
        }
        if ("DELETED".equals(type) && firstDelete == 0) {
          firstDelete = System.nanoTime();
        }
        changed.release();
      });
      if (watch.isPresent()) {
        it.remove();
        watches.add(watch.get());
      }
    }
  }

  /** The workspace clone appearing or going (step 0 done by hand, or reset): the data dir's entries. */
  private void followWorkspace() {
    Path dir = context.workspace().getParent();
    try (WatchService service = dir.getFileSystem().newWatchService()) {
      dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
      while (running) {
        WatchKey key = service.take();
        key.pollEvents();
        key.reset();
        changed.release();
        Thread.sleep(SETTLE_MILLIS);
        changed.release();
      }
    } catch (IOException | InterruptedException | ClosedWatchServiceException e) {
      LOG.debug("no more file events for the clone (the safety re-check still sees it): {}", e.toString());
    }
  }

  private void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** A step begins: the times of pushes and deletions count from now. */
  public void markStepStart() {
    lastPush = 0;
    firstDelete = 0;
  }

  /** When the last push of the step arrived ({@link System#nanoTime()}), or 0. */
  public long lastPushNanos() {
    return lastPush;
  }

  /** When the step saw its first deletion of a watched object, or 0. */
  public long firstDeleteNanos() {
    return firstDelete;
  }

  /** Wakes the waiter (a key was pressed). */
  public void wake() {
    changed.release();
  }

  /** Waits until something changed, or the timeout passed. */
  public void await(long millis) throws InterruptedException {
    if (changed.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
      changed.drainPermits();
    }
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    synchronized (this) {
      for (AutoCloseable w : watches) {
        try {
          w.close();
        } catch (Exception e) {
          LOG.debug("closing a watch failed (closing anyway)", e);
        }
      }
    }
  }
}
