package dev.gitopsworkshop.room;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every participant's step events, in the order they arrived, kept in the room's data dir
 * ({@code room-events.jsonl}, one line an event) so that a restarted room shows the same board.
 * An event whose id is known already is a resend and changes nothing.
 */
final class RoomEvents {
  private static final Logger LOG = LoggerFactory.getLogger(RoomEvents.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  /** More than a day of a busy participant's events; past it a lab is misbehaving. */
  static final int MAX_PER_PARTICIPANT = 5000;

  /** An accepted event and when the room received it. */
  record Received(RoomEvent event, Instant received) {}

  /** What a batch did: how many were new, or why it was refused. */
  enum Outcome { STORED, FULL }

  private final Path file;
  private final Map<String, List<Received>> byParticipant = new LinkedHashMap<>();
  private final Map<String, Set<String>> ids = new LinkedHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private RoomEvents(Path file) {
    this.file = file;
  }

  static RoomEvents open(Path file) throws IOException {
    RoomEvents events = new RoomEvents(file);
    if (Files.exists(file)) {
      int line = 0;
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(text);
          events.keep(node.path("name").asText(), RoomEvent.parse(node.path("event")), Instant.parse(node.path("received").asText()));
        } catch (IOException | RoomEvent.Invalid | RuntimeException e) {
          LOG.warn("{} line {} is not an event the room reads ({}); it is skipped", file, line, e.getMessage());
        }
      }
    }
    return events;
  }

  /** Called after every change (from the thread that made it; must not block). */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Keeps a participant's events, all or none, with their times moved by {@code skew} (the room's
   * clock minus the lab's); resends are skipped.
   */
  Outcome add(String name, List<RoomEvent> batch, Duration skew) throws IOException {
    Instant now = Instant.now();
    List<Received> fresh = new ArrayList<>();
    synchronized (this) {
      Set<String> known = ids.getOrDefault(name, Set.of());
      Set<String> inBatch = new HashSet<>();
      for (RoomEvent e : batch) {
        if (!known.contains(e.id()) && inBatch.add(e.id())) {
          fresh.add(new Received(new RoomEvent(e.id(), e.type(), e.step(), corrected(e.at(), skew, now), e.check(), e.message()), now));
        }
      }
      if (fresh.isEmpty()) {
        return Outcome.STORED;
      }
      if (byParticipant.getOrDefault(name, List.of()).size() + fresh.size() > MAX_PER_PARTICIPANT) {
        return Outcome.FULL;
      }
      append(name, fresh);
      fresh.forEach(r -> keep(name, r.event(), r.received()));
    }
    listeners.forEach(Runnable::run);
    return Outcome.STORED;
  }

  /** A lab's time on the room's clock; never later than now (a lab's clock may run ahead). */
  private static Instant corrected(Instant at, Duration skew, Instant now) {
    Instant moved = at.plus(skew);
    return moved.isAfter(now) ? now : moved;
  }

  private void append(String name, List<Received> fresh) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (Received r : fresh) {
        ObjectNode line = JSON.createObjectNode().put("name", name).put("received", r.received().toString());
        line.set("event", r.event().toJson());
        out.write(JSON.writeValueAsString(line));
        out.write('\n');
      }
    }
  }

  private void keep(String name, RoomEvent event, Instant received) {
    if (ids.computeIfAbsent(name, n -> new HashSet<>()).add(event.id())) {
      byParticipant.computeIfAbsent(name, n -> new ArrayList<>()).add(new Received(event, received));
    }
  }

  /** A participant's events in the order they arrived. */
  synchronized List<Received> of(String name) {
    return List.copyOf(byParticipant.getOrDefault(name, List.of()));
  }

  synchronized int count() {
    return byParticipant.values().stream().mapToInt(List::size).sum();
  }
}
