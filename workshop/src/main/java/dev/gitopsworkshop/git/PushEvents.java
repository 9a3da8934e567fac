package dev.gitopsworkshop.git;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Git server's push-event stream: after each accepted push, one event per updated ref. The step
 * runner's auto-check and the operator nudge subscribe here (in-process) or to the server's
 * {@code /-/events} endpoint (other processes).
 */
public final class PushEvents {
  private static final Logger LOG = LoggerFactory.getLogger(PushEvents.class);
  private final List<Consumer<PushEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** Subscribes; close the result to stop. Subscribers must not block. */
  public AutoCloseable subscribe(Consumer<PushEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  void publish(PushEvent event) {
    for (Consumer<PushEvent> s : subscribers) {
      try {
        s.accept(event);
      } catch (RuntimeException e) {
        // one failing subscriber must not stop the others, nor the push
        LOG.error("a subscriber to pushes failed on {}", event, e);
      }
    }
  }
}
