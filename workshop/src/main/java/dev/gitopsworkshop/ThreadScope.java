package dev.gitopsworkshop;

import java.util.function.Supplier;

/**
 * A value that lives while a piece of work runs on one thread, for whatever that work calls: work
 * started within the scope on the same thread joins it instead of opening another.
 */
public final class ThreadScope<S> {
  private final ThreadLocal<S> current = new ThreadLocal<>();

  /** Runs {@code work} in this scope: with a new value from {@code fresh}, or in the one this thread is already in. */
  public <T> T run(Supplier<S> fresh, Supplier<T> work) {
    if (current.get() != null) {
      return work.get();
    }
    current.set(fresh.get());
    try {
      return work.get();
    } finally {
      current.remove();
    }
  }

  /** This thread's value, or null outside the scope. */
  public S current() {
    return current.get();
  }
}
