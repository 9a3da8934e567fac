package dev.gitopsworkshop.logging;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * A controller's failures in the log, each distinct one once: a reconcile that fails the same way
 * every few seconds writes one line (with the object and, for an unexpected exception, its stack
 * trace), a different failure of the same object writes another, and the first success after a
 * failure says that the object recovered. Only failing objects are remembered.
 */
public final class FailureLog {
  private final Logger log;
  private final Map<String, String> failing = new ConcurrentHashMap<>();

  public FailureLog(Logger log) {
    this.log = log;
  }

  /**
   * A reconcile of the object {@code key} ({@code namespace/name}) failed: {@code line} (which names
   * the object's kind and key) is logged unless it failed the same way last time.
   *
   * @param cause the unexpected exception (its stack trace is logged), or null for a failure the
   *     controller reports in the object's status
   */
  public void failed(String key, String line, Throwable cause) {
    String previous = failing.put(key, line);
    if (Objects.equals(previous, line)) {
      return;
    }
    if (cause == null) {
      log.warn(line);
    } else {
      log.warn(line, cause);
    }
  }

  /** A reconcile of the object {@code key} succeeded: logged when it had failed before. */
  public void succeeded(String key) {
    String previous = failing.remove(key);
    if (previous != null) {
      log.info("{} recovered (it had failed: {})", key, previous);
    }
  }

  /** The object is gone: nothing more to say about it. */
  public void forget(String object) {
    failing.remove(object);
  }

  /** Whether the object's last reconcile failed. */
  public boolean isFailing(String object) {
    return failing.containsKey(object);
  }
}
