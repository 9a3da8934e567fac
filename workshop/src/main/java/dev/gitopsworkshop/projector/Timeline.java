package dev.gitopsworkshop.projector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** The room's live event timeline: the latest things that happened, newest first, a bounded few. */
final class Timeline {
  /** What happened, for the page's colour: a push, a change in the cluster, Flux, a warning. */
  enum Kind { PUSH, CLUSTER, FLUX, WARNING, STEP }

  record Entry(Instant at, Kind kind, String text) {}

  private final int capacity;
  private final Deque<Entry> entries = new ArrayDeque<>();

  Timeline(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(Kind kind, String text) {
    entries.addFirst(new Entry(Instant.now(), kind, text));
    while (entries.size() > capacity) {
      entries.removeLast();
    }
  }

  synchronized ArrayNode toJson() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Entry e : entries) {
      out.addObject().put("at", e.at().toString()).put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT)).put("text", e.text());
    }
    return out;
  }
}
