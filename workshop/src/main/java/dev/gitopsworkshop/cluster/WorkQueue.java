package dev.gitopsworkshop.cluster;

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
 * (adding a waiting key again does nothing), one worker thread hands them to the controller one at
 * a time, and a key can come back later, either once ({@link #addAfter}) or as the object's single
 * next run ({@link #runAgainAfter}, which replaces the pending one).
 */
public final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  private final Map<String, ScheduledFuture<?>> nextRun = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final Thread worker;
  private volatile boolean running = true;

  /** Starts the worker; {@code handle} must not throw (it decides itself what a failure means). */
  public WorkQueue(String name, ScheduledExecutorService timers, Consumer<String> handle) {
    this.timers = timers;
    this.worker = new Thread(() -> work(handle), name);
    this.worker.setDaemon(true);
  }

  public void start() {
    worker.start();
  }

  public void add(String key) {
    if (waiting.add(key)) {
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
        waiting.remove(key);
        try {
          handle.accept(key);
        } catch (RuntimeException e) {
          LOG.error("{}: the work on {} failed (the queue goes on)", worker.getName(), key, e);
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    nextRun.values().forEach(f -> f.cancel(false));
    worker.interrupt();
  }
}
