package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events live an hour, as kube-apiserver's {@code --event-ttl} default keeps them: an Event whose
 * last occurrence is older is deleted, so that a day of drifts, pulls and reconciles does not
 * pile up in the store.
 */
final class EventExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(EventExpiry.class);
  static final Duration TTL = Duration.ofHours(1);
  private final ResourceStore store;
  private final ResourceType events;

  EventExpiry(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.events = types.byPlural("", "v1", "events").orElseThrow();
  }

  /** Deletes the Events last seen before {@code now - TTL}; returns how many. */
  int expire(Instant now) {
    Instant cutoff = now.minus(TTL);
    int deleted = 0;
    for (ObjectNode e : store.list(events, null, null).items()) {
      Instant last = lastSeen(e);
      if (last != null && last.isBefore(cutoff)) {
        try {
          store.delete(events, e.at("/metadata/namespace").asText(), e.at("/metadata/name").asText(), e.at("/metadata/uid").asText(), false);
          deleted++;
        } catch (ApiException gone) {
          LOG.debug("an expired event went meanwhile: {}", gone.getMessage());
        }
      }
    }
    if (deleted > 0) {
      LOG.debug("{} events older than {} expired", deleted, TTL);
    }
    return deleted;
  }

  void expireNow() {
    try {
      expire(Instant.now());
    } catch (RuntimeException e) {
      LOG.warn("expiring old events failed (tried again in a minute)", e);
    }
  }

  private static Instant lastSeen(ObjectNode e) {
    for (String field : new String[] {"/lastTimestamp", "/eventTime", "/series/lastObservedTime", "/metadata/creationTimestamp"}) {
      String text = e.at(field).asText("");
      if (!text.isEmpty()) {
        try {
          return Instant.parse(text);
        } catch (DateTimeParseException notATime) {
          LOG.debug("event {} has an unreadable {}: {}", e.at("/metadata/name").asText(), field, text);
        }
      }
    }
    return null;
  }
}
