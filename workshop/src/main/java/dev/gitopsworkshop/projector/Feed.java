package dev.gitopsworkshop.projector;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The latest state as JSON text and the pages listening for the next one. A slow page never holds
 * the others up: each listener keeps only the newest state it has not sent yet.
 */
final class Feed {
  /** What a listener is handed when the lab stops: it ends its stream. */
  static final String CLOSED = "";
  private final Set<BlockingQueue<String>> listeners = ConcurrentHashMap.newKeySet();
  private final int maxListeners;
  private volatile String latest = "{}";
  private volatile boolean closed;

  Feed(int maxListeners) {
    this.maxListeners = maxListeners;
  }

  String latest() {
    return latest;
  }

  /** Publishes a state when it differs from the latest; true when it did. */
  synchronized boolean publish(String state) {
    if (state.equals(latest)) {
      return false;
    }
    latest = state;
    for (BlockingQueue<String> q : listeners) {
      q.clear();
      q.offer(state);
    }
    return true;
  }

  /** A new listener, or null when there are too many already. */
  Listener listen() {
    if (listeners.size() >= maxListeners) {
      return null;
    }
    BlockingQueue<String> q = new ArrayBlockingQueue<>(1);
    listeners.add(q);
    if (closed) {
      q.offer(CLOSED);
    }
    return new Listener(q);
  }

  void close() {
    closed = true;
    for (BlockingQueue<String> q : listeners) {
      q.clear();
      q.offer(CLOSED);
    }
  }

  /** One page's stream. */
  final class Listener implements AutoCloseable {
    private final BlockingQueue<String> queue;

    private Listener(BlockingQueue<String> queue) {
      this.queue = queue;
    }

    /** The next state, {@link #CLOSED} when the lab stops, or null when none came in time. */
    String next(long timeoutMillis) throws InterruptedException {
      return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      listeners.remove(queue);
    }
  }
}
