package dev.gitopsworkshop.console;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The latest state of a live page as JSON text, and the pages listening for the next one (the
 * projector view, the room board). A slow page never holds the others up: each listener keeps only
 * the newest state it has not sent yet.
 */
public final class StateFeed {
  /** What a listener is handed when the feed closes: it ends its stream. */
  static final String CLOSED = "";
  private static final long KEEPALIVE_MILLIS = 15_000;
  private final Set<BlockingQueue<String>> listeners = ConcurrentHashMap.newKeySet();
  private final int maxListeners;
  private volatile String latest = "{}";
  private volatile boolean closed;

  public StateFeed(int maxListeners) {
    this.maxListeners = maxListeners;
  }

  public String latest() {
    return latest;
  }

  /** Publishes a state when it differs from the latest; true when it did. */
  public synchronized boolean publish(String state) {
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

  public void close() {
    closed = true;
    for (BlockingQueue<String> q : listeners) {
      q.clear();
      q.offer(CLOSED);
    }
  }

  /**
   * One page's server-sent events: the state now, then each new one as an {@code event: state},
   * a comment now and then to keep the connection open, until the page goes or the feed closes.
   *
   * @param tooMany the 503's message when too many pages listen already
   */
  public void stream(HttpServletResponse resp, Supplier<String> now, String tooMany) throws IOException {
    Listener listener = listen();
    if (listener == null) {
      resp.sendError(503, tooMany);
      return;
    }
    try (listener) {
      resp.setContentType("text/event-stream;charset=utf-8");
      resp.setHeader("Cache-Control", "no-cache");
      resp.setHeader("X-Accel-Buffering", "no");
      PrintWriter out = resp.getWriter();
      out.write("retry: 2000\n\n");
      send(out, now.get());
      while (true) {
        String next = listener.next(KEEPALIVE_MILLIS);
        if (next != null && next.isEmpty()) { // CLOSED
          return;
        }
        if (next == null) {
          out.write(": still here\n\n");
        } else {
          send(out, next);
        }
        out.flush();
        if (out.checkError()) {
          return; // the page went away
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(PrintWriter out, String state) {
    out.write("event: state\ndata: " + state + "\n\n");
    out.flush();
  }

  /** One page's stream. */
  final class Listener implements AutoCloseable {
    private final BlockingQueue<String> queue;

    private Listener(BlockingQueue<String> queue) {
      this.queue = queue;
    }

    /** The next state, {@link #CLOSED} when the feed closes, or null when none came in time. */
    String next(long timeoutMillis) throws InterruptedException {
      return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      listeners.remove(queue);
    }
  }
}
