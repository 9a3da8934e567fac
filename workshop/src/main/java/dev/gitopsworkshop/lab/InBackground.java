package dev.gitopsworkshop.lab;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One part of a lab started on its own thread while the rest starts (the Git server beside the
 * cluster). {@link #join} gives it, or throws what its start threw; {@link #abandon} waits for it
 * and closes it, for a start that failed elsewhere.
 */
final class InBackground<T extends AutoCloseable> {
  private static final Logger LOG = LoggerFactory.getLogger(InBackground.class);
  private final CompletableFuture<T> started = new CompletableFuture<>();
  private final String name;

  private InBackground(String name) {
    this.name = name;
  }

  /** Runs {@code start} on a thread called {@code name}. */
  static <T extends AutoCloseable> InBackground<T> start(String name, Supplier<T> start) {
    InBackground<T> part = new InBackground<>(name);
    Thread thread = new Thread(() -> {
      try {
        part.started.complete(start.get());
      } catch (Throwable e) {
        part.started.completeExceptionally(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return part;
  }

  /** What the start gave, once it has; what it threw, thrown here. */
  T join() {
    try {
      return started.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** Waits for the start and closes what it started; returns what the start threw, or null. */
  RuntimeException abandon() {
    T part;
    try {
      part = join();
    } catch (RuntimeException e) {
      return e;
    }
    try {
      part.close();
    } catch (Exception e) {
      LOG.warn("{}: closing what was started failed", name, e);
    }
    return null;
  }
}
