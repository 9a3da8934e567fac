package dev.gitopsworkshop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM that exits first waits up to 300 ms for every thread that is still inside a native call
 * (HotSpot's {@code VM_Exit}): each command paid that, since the JDK 17 HTTP client under fabric8
 * cannot be closed, and each client's selector thread sits in {@code epoll_wait} until the client is
 * garbage collected. When a command is over, its clients closed, those threads are interrupted: a
 * selector thread that is interrupted wakes and ends its loop.
 */
final class NativeWaiters {
  private static final Logger LOG = LoggerFactory.getLogger(NativeWaiters.class);
  /** The JDK's name for an HTTP client's selector thread ({@code jdk.internal.net.http.HttpClientImpl}). */
  private static final Pattern HTTP_SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");
  private static final long JOIN_MILLIS = 50;

  private NativeWaiters() {}

  /** Ends the HTTP clients' selector threads; returns how many there were. */
  static int endHttpSelectors() {
    return endHttpSelectors(t -> true);
  }

  /** Ends those of the HTTP clients' selector threads that {@code which} accepts. */
  static int endHttpSelectors(Predicate<Thread> which) {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] all = new Thread[root.activeCount() + 16];
    int n = root.enumerate(all, true);
    List<Thread> selectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (HTTP_SELECTOR.matcher(all[i].getName()).matches() && which.test(all[i])) {
        selectors.add(all[i]);
        all[i].interrupt();
      }
    }
    for (Thread t : selectors) {
      try {
        t.join(JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (t.isAlive()) {
        LOG.debug("{} did not end when interrupted: the exit waits for it", t.getName());
      }
    }
    return selectors.size();
  }
}
