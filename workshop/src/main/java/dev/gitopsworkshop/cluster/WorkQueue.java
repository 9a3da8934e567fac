package dev.gitopsworkshop.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work queue of a controller, as client-go's: keys ({@code namespace/name}) wait at most once
 * (adding a waiting key again does nothing), worker threads (one unless asked for more) hand them to
 * the controller, never the same key to two workers at once (a key added while it is being handled
 * waits until that is done), and a key can come back later, either once ({@link #addAfter}) or as
 * the object's single next run ({@link #runAgainAfter}, which replaces the pending one).
 */
public final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> waiting = new java.util.HashSet<>();
  private final Set<String> processing = new java.util.HashSet<>();
  private final Set<String> dirty = new java.util.HashSet<>();
  private final Map<String, ScheduledFuture<?>> nextRun = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final List<Thread> workers = new java.util.ArrayList<>();
  private volatile boolean running = true;

  /** Starts the worker; {@code handle} must not throw (it decides itself what a failure means). */
  public WorkQueue(String name, ScheduledExecutorService timers, Consumer<String> handle) {
    this(name, timers, handle, 1);
  }

  /** With {@code workers} threads, as a controller's {@code --concurrent} asks for. */
  public WorkQueue(String name, ScheduledExecutorService timers, Consumer<String> handle, int workers) {
    this.timers = timers;
    for (int i = 0; i < workers; i++) {
      Thread worker = new Thread(() -> work(handle), workers == 1 ? name : name + "-" + (i + 1));
      worker.setDaemon(true);
      this.workers.add(worker);
    }
  }

  public void start() {
    workers.forEach(Thread::start);
  }

  public synchronized void add(String key) {
    if (processing.contains(key)) {
      dirty.add(key);
    } else if (waiting.add(key)) {
      queue.add(key);
    }
  }

  public void addAfter(String key, long millis) {
    if (running) {
      timers.schedule(() -> add(key), millis, TimeUnit.MILLISECONDS);
    }
  }

  /** The key's one next run, replacing any pending one (an interval, not an accumulation). */
  public void runAgainAfter(String key, long millis) {
    if (running) {
      nextRun.compute(key, (k, pending) -> {
        if (pending != null) {
          pending.cancel(false);
        }
        return timers.schedule(() -> add(key), millis, TimeUnit.MILLISECONDS);
      });
    }
  }

  private void work(Consumer<String> handle) {
    while (running) {
      String key;
      try {
        key = queue.poll(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (key != null) {
        synchronized (this) {
          waiting.remove(key);
          processing.add(key);
        }
        try {
          handle.accept(key);
        } catch (RuntimeException e) {
          LOG.error("{}: the work on {} failed (the queue goes on)", Thread.currentThread().getName(), key, e);
        } finally {
          synchronized (this) {
            processing.remove(key);
            if (dirty.remove(key) && waiting.add(key)) {
              queue.add(key);
            }
          }
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    nextRun.values().forEach(f -> f.cancel(false));
    workers.forEach(Thread::interrupt);
  }
}
