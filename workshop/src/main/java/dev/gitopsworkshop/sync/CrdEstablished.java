package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Whether a CustomResourceDefinition is established (its kind is served), and a bounded wait for it.
 * A real API server (k3s) establishes a new CRD a moment after it is stored; objects of its kind
 * applied in that moment are refused ("no matches for kind"), so who applies a CRD and then its
 * objects waits in between, as Flux does.
 */
final class CrdEstablished {
  static final Duration POLL = Duration.ofMillis(100);

  private CrdEstablished() {}

  static boolean of(JsonNode crd) {
    if (crd == null) {
      return false;
    }
    for (JsonNode c : crd.at("/status/conditions")) {
      if ("Established".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Asks {@code live} (the CRD as the API server has it, null when absent) until it is established.
   *
   * @param waiting told once, when the first answer is not established yet
   * @throws IllegalStateException when it is not established within {@code limit}
   */
  static void await(String name, Supplier<JsonNode> live, Duration limit, Consumer<String> waiting) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean told = false;
    while (!of(live.get())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the CustomResourceDefinition " + name + " is not established after " + limit.toSeconds() + " s");
      }
      if (!told) {
        waiting.accept("waiting for the CustomResourceDefinition " + name + " to be established");
        told = true;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the CustomResourceDefinition " + name, e);
      }
    }
  }
}
