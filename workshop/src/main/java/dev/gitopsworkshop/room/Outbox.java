package dev.gitopsworkshop.room;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step events a participant's lab has not delivered to the room yet: {@code room-outbox.jsonl}
 * in the data dir, so that events outlive a room that does not answer, and the process that made
 * them. Every process of the lab (the lab itself, a run, a reset) appends and sends from the same
 * file, under a lock; the room keeps an event sent twice once.
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  private final Path file;
  private final Path lock;

  Outbox(DataDir dir) {
    this.file = dir.resolve("room-outbox.jsonl");
    this.lock = dir.resolve(".room-outbox.lock");
  }

  /** Outboxes of one JVM take turns here; processes take turns on the lock file. */
  private static final Object IN_PROCESS = new Object();

  private interface Work<T> {
    T run() throws IOException;
  }

  void append(RoomEvent event) throws IOException {
    locked(() -> {
      Files.writeString(file, JSON.writeValueAsString(event.toJson()) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return null;
    });
  }

  /** The oldest events, at most {@code max}. */
  List<RoomEvent> peek(int max) throws IOException {
    return locked(() -> {
      List<RoomEvent> all = read();
      return List.copyOf(all.subList(0, Math.min(max, all.size())));
    });
  }

  /** Drops the events with these ids (delivered, or refused for good). */
  void remove(Set<String> ids) throws IOException {
    locked(() -> {
      StringBuilder text = new StringBuilder();
      for (RoomEvent e : read()) {
        if (!ids.contains(e.id())) {
          text.append(JSON.writeValueAsString(e.toJson())).append('\n');
        }
      }
      DataDir.writeAtomically(file, text.toString(), false);
      return null;
    });
  }

  int size() throws IOException {
    return locked(() -> read().size());
  }

  private List<RoomEvent> read() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<RoomEvent> events = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        events.add(RoomEvent.parse(JSON.readTree(line)));
      } catch (IOException | RoomEvent.Invalid e) {
        LOG.warn("{}: a line that is no event is dropped ({})", file, e.getMessage());
      }
    }
    return events;
  }

  private <T> T locked(Work<T> work) throws IOException {
    synchronized (IN_PROCESS) {
      Files.createDirectories(lock.getParent());
      try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return work.run();
      }
    }
  }
}
