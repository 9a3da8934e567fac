package dev.gitopsworkshop.git;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** In-process bus of accepted pushes. A failing subscriber never affects the push or the others. */
public final class PushEvents {
  private final List<Consumer<PushEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** Calls {@code subscriber} for every accepted ref update until the returned handle is closed. */
  public AutoCloseable subscribe(Consumer<PushEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  void publish(PushEvent event) {
    for (Consumer<PushEvent> subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        // a subscriber's bug must not fail the participant's push
      }
    }
  }
}
