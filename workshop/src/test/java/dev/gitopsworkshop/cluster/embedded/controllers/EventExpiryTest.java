package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Events expire an hour after they were last seen (kube-apiserver's --event-ttl). */
class EventExpiryTest {
  private final ResourceTypes types = new ResourceTypes();
  private final ResourceType events = types.byPlural("", "v1", "events").orElseThrow();
  private final ResourceStore store = new ResourceStore();

  private void event(String name, Instant last) {
    ObjectNode e = Json.object();
    e.putObject("metadata").put("name", name).put("namespace", "default");
    e.put("reason", "Pulled").put("lastTimestamp", last.toString());
    store.create(events, e, false);
  }

  @Test
  void anEventLastSeenMoreThanAnHourAgoIsDeletedAndARecentOneKept() {
    Instant now = Instant.parse("2026-06-01T12:00:00Z");
    event("old", now.minus(Duration.ofMinutes(61)));
    event("recent", now.minus(Duration.ofMinutes(59)));
    assertEquals(1, new EventExpiry(store, types).expire(now));
    assertEquals("recent", store.list(events, null, null).items().get(0).at("/metadata/name").asText());
    assertEquals(1, store.list(events, null, null).items().size());
  }
}
