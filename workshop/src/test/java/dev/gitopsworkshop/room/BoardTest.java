package dev.gitopsworkshop.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardTest {
  private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
  @TempDir Path tmp;

  private final Board board = new Board(List.of(new Board.Column(0, "Get the repository", Duration.ofMinutes(2)),
      new Board.Column(1, "Install the operator", Duration.ofMinutes(3)), new Board.Column(2, "Give access", Duration.ofMinutes(3))));
  private final List<RoomEvent> events = new ArrayList<>();

  private void at(int seconds, String type, int step, String check, String message) {
    events.add(new RoomEvent(RoomEvent.newId(), type, step, T0.plusSeconds(seconds), check, message));
  }

  private void at(int seconds, String type, int step) {
    at(seconds, type, step, null, null);
  }

  private JsonNode alice(int nowSeconds) throws Exception {
    RoomEvents store = RoomEvents.open(tmp.resolve("events.jsonl"));
    store.add("alice", events, Duration.ZERO);
    return board.state(List.of("alice", "bob"), store, T0.plusSeconds(nowSeconds)).path("participants").get(0);
  }

  private static List<String> states(JsonNode p) {
    List<String> out = new ArrayList<>();
    p.path("steps").forEach(s -> out.add(s.path("state").asText()));
    return out;
  }

  @Test
  void stepsMoveFromPendingThroughInProgressToDoneOrFailed() throws Exception {
    at(0, "joined", 0);
    at(1, "started", 0);
    at(20, "done", 0);
    at(21, "started", 1);
    at(60, "failed", 1);
    at(61, "started", 2);
    JsonNode p = alice(100);
    assertTrue(p.path("joined").asBoolean());
    assertEquals(List.of("done", "failed", "in progress"), states(p));
    assertEquals(2, p.path("current").path("step").asInt());
    assertEquals(39, p.path("current").path("seconds").asInt());
    assertFalse(p.path("current").path("overBudget").asBoolean());
    assertEquals(1, p.path("done").asInt());
  }

  @Test
  void pastTheBudgetShowsAndTheLastFailingCheckStaysUntilItsStepIsDone() throws Exception {
    at(0, "started", 0);
    at(5, "failing", 0, "workspace cloned", "no clone yet");
    at(130, "hint", 0, null, "Copy the git clone line");
    JsonNode p = alice(200);
    assertTrue(p.path("current").path("overBudget").asBoolean(), p.toString());
    assertEquals("workspace cloned", p.path("lastFailing").path("check").asText());
    assertEquals("no clone yet", p.path("lastFailing").path("message").asText());
    assertEquals(1, p.path("steps").get(0).path("hints").asInt());
    at(210, "solved", 0);
    at(211, "done", 0);
    p = alice(220);
    assertTrue(p.path("lastFailing").isNull());
    assertTrue(p.path("current").isNull());
    assertEquals("[0]", p.path("solvedWithKey").toString());
  }

  @Test
  void aResetMakesTheStepAndLaterOnesPendingButTheSolveKeyStaysKnown() throws Exception {
    at(0, "started", 0);
    at(1, "done", 0);
    at(2, "started", 1);
    at(3, "solved", 1);
    at(4, "done", 1);
    at(5, "started", 2);
    at(6, "failing", 2, "secret exists", "absent");
    at(7, "reset", 1);
    JsonNode p = alice(10);
    assertEquals(List.of("done", "pending", "pending"), states(p));
    assertTrue(p.path("current").isNull());
    assertTrue(p.path("lastFailing").isNull());
    assertEquals("[1]", p.path("solvedWithKey").toString());
  }

  @Test
  void eventsAreOrderedByTheirTimeAndAParticipantWithoutEventsHasNotJoined() throws Exception {
    at(5, "done", 0);
    at(1, "started", 0); // queued while the room was away, delivered late
    RoomEvents store = RoomEvents.open(tmp.resolve("events.jsonl"));
    store.add("alice", events, Duration.ZERO);
    JsonNode state = board.state(List.of("alice", "bob"), store, T0.plusSeconds(10));
    assertEquals("done", state.path("participants").get(0).path("steps").get(0).path("state").asText());
    JsonNode bob = state.path("participants").get(1);
    assertFalse(bob.path("joined").asBoolean());
    assertEquals(List.of("pending", "pending", "pending"), states(bob));
    assertFalse(state.toString().toLowerCase().contains("password"));
  }

  @Test
  void anEventSentTwiceIsKeptOnceAndEventsSurviveARestartOfTheRoom() throws Exception {
    at(1, "started", 0);
    RoomEvents store = RoomEvents.open(tmp.resolve("events.jsonl"));
    store.add("alice", events, Duration.ZERO);
    store.add("alice", events, Duration.ZERO);
    assertEquals(1, store.count());
    RoomEvents again = RoomEvents.open(tmp.resolve("events.jsonl"));
    assertEquals(1, again.count());
    assertEquals(events.get(0).id(), again.of("alice").get(0).event().id());
  }

  @Test
  void aLabsClockIsCorrectedByWhatItSaidTheTimeWas() throws Exception {
    RoomEvents store = RoomEvents.open(tmp.resolve("events.jsonl"));
    Instant labNow = Instant.now().minus(Duration.ofHours(1)); // a laptop an hour behind
    store.add("alice", List.of(new RoomEvent(RoomEvent.newId(), "started", 0, labNow.minusSeconds(30), null, null)), Duration.ofHours(1));
    Instant kept = store.of("alice").get(0).event().at();
    assertTrue(Duration.between(kept, Instant.now()).abs().minusSeconds(30).abs().toSeconds() < 5, kept.toString());
  }
}
