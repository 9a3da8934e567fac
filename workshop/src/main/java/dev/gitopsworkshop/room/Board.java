package dev.gitopsworkshop.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The room board's state: participants x steps, worked out from each participant's step events.
 * A step is {@code pending}, {@code in progress} (started, or a check of it seen failing),
 * {@code done} or {@code failed} (a run gave up on it); a reset makes the step and every later one
 * pending again. For each participant: the step in progress and for how long, whether that is past
 * the step's budget, the steps solved with the key (sticky: a reset does not hide it), and the last
 * failing check while its step is not done. No password, ever.
 */
final class Board {
  /** A step as the board shows it. */
  record Column(int id, String title, Duration budget) {}

  private final List<Column> columns;

  Board(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  ObjectNode state(List<String> names, RoomEvents events, Instant now) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("now", now.toString());
    ArrayNode steps = root.putArray("steps");
    for (Column c : columns) {
      steps.addObject().put("id", c.id()).put("title", c.title()).put("budgetSeconds", c.budget().toSeconds());
    }
    ArrayNode participants = root.putArray("participants");
    for (String name : names) {
      participants.add(participant(name, events.of(name), now));
    }
    return root;
  }

  private static final class Cell {
    String state = "pending";
    Instant started;
    Instant finished;
    boolean solved;
    int hints;
  }

  private ObjectNode participant(String name, List<RoomEvents.Received> received, Instant now) {
    Map<Integer, Cell> cells = new LinkedHashMap<>();
    columns.forEach(c -> cells.put(c.id(), new Cell()));
    List<RoomEvent> events = new ArrayList<>(received.stream().map(RoomEvents.Received::event).toList());
    events.sort(Comparator.comparing(RoomEvent::at)); // stable: arrival order breaks ties
    Instant joined = null;
    Instant lastSeen = received.stream().map(RoomEvents.Received::received).max(Comparator.naturalOrder()).orElse(null);
    Integer current = null;
    RoomEvent lastFailing = null;
    for (RoomEvent e : events) {
      if (e.type().equals(RoomEvent.JOINED)) {
        joined = e.at();
        continue;
      }
      Cell cell = cells.get(e.step());
      if (cell == null) {
        continue; // a step this room's tutorial does not have
      }
      switch (e.type()) {
        case "started" -> {
          cell.state = "in progress";
          cell.started = e.at();
          cell.finished = null;
          current = e.step();
        }
        case "failing" -> {
          if (!cell.state.equals("in progress")) {
            cell.state = "in progress";
            cell.started = cell.started == null ? e.at() : cell.started;
            current = e.step();
          }
          lastFailing = e;
        }
        case "hint" -> cell.hints++;
        case "solved" -> cell.solved = true;
        case "done", "failed" -> {
          cell.state = e.type();
          cell.finished = e.at();
          if (current != null && current == e.step()) {
            current = null;
          }
          if (e.type().equals("done") && lastFailing != null && lastFailing.step() == e.step()) {
            lastFailing = null;
          }
        }
        case "reset" -> {
          cells.forEach((id, c) -> {
            if (id >= e.step()) {
              c.state = "pending";
              c.started = null;
              c.finished = null;
            }
          });
          current = current != null && current >= e.step() ? null : current;
          lastFailing = lastFailing != null && lastFailing.step() >= e.step() ? null : lastFailing;
        }
        default -> { }
      }
    }
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("name", name);
    p.put("joined", joined != null);
    p.put("lastSeen", lastSeen == null ? null : lastSeen.toString());
    if (current != null) {
      Cell cell = cells.get(current);
      Column column = column(current);
      long seconds = Math.max(0, Duration.between(cell.started, now).toSeconds());
      p.putObject("current").put("step", current).put("title", column.title()).put("since", cell.started.toString())
          .put("seconds", seconds).put("budgetSeconds", column.budget().toSeconds())
          .put("overBudget", seconds > column.budget().toSeconds());
    } else {
      p.putNull("current");
    }
    if (lastFailing != null) {
      p.putObject("lastFailing").put("step", lastFailing.step()).put("check", lastFailing.check())
          .put("message", lastFailing.message()).put("at", lastFailing.at().toString());
    } else {
      p.putNull("lastFailing");
    }
    ArrayNode solved = p.putArray("solvedWithKey");
    ArrayNode steps = p.putArray("steps");
    int done = 0;
    for (Map.Entry<Integer, Cell> e : cells.entrySet()) {
      Cell c = e.getValue();
      ObjectNode s = steps.addObject().put("id", e.getKey()).put("state", c.state).put("solved", c.solved).put("hints", c.hints);
      if (c.started != null) {
        s.put("seconds", Duration.between(c.started, c.finished != null ? c.finished : now).toSeconds());
      }
      if (c.solved) {
        solved.add(e.getKey());
      }
      done += c.state.equals("done") ? 1 : 0;
    }
    p.put("done", done);
    return p;
  }

  private Column column(int id) {
    return columns.stream().filter(c -> c.id() == id).findFirst().orElseThrow();
  }
}
