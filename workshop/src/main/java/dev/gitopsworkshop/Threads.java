package dev.gitopsworkshop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Waiting on threads where an interrupt must not cut the wait short; independent work side by side. */
public final class Threads {
  private Threads() {}

  /** What one item's work gave: its value, or what it threw. */
  public record Outcome<R>(R value, RuntimeException failure) {
    /** The value, or the failure thrown. */
    public R get() {
      if (failure != null) {
        throw failure;
      }
      return value;
    }
  }

  /**
   * Runs {@code work} on each item, at most {@code atOnce} at a time on daemon threads named
   * {@code name-N} (a single item on the caller's thread), and gives what each gave, in the items'
   * order, once all are done. An interrupt while waiting cancels what has not run yet and throws
   * {@link CancellationException}, the interrupt kept.
   */
  public static <T, R> List<Outcome<R>> sideBySide(List<T> items, int atOnce, String name, Function<T, R> work) {
    if (items.size() <= 1) {
      return items.stream().map(item -> outcome(work, item)).toList();
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(Math.min(atOnce, items.size()), r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Outcome<R>>> running = new ArrayList<>();
      for (T item : items) {
        running.add(threads.submit(() -> outcome(work, item)));
      }
      List<Outcome<R>> done = new ArrayList<>();
      for (Future<Outcome<R>> f : running) {
        try {
          done.add(f.get());
        } catch (ExecutionException e) { // an Error: outcome() keeps RuntimeExceptions
          throw new IllegalStateException(name + " failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancellationException(name + ": interrupted while waiting");
        }
      }
      return done;
    } finally {
      threads.shutdownNow();
    }
  }

  private static <T, R> Outcome<R> outcome(Function<T, R> work, T item) {
    try {
      return new Outcome<>(work.apply(item), null);
    } catch (RuntimeException e) {
      return new Outcome<>(null, e);
    }
  }

  /**
   * Waits until {@code thread} has ended, even when interrupted meanwhile: the interrupt is kept
   * for the caller, who sees it once the thread is done.
   */
  public static void joinUninterruptibly(Thread thread) {
    boolean interrupted = Thread.interrupted(); // set already (a join before this one): would not wait at all
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
