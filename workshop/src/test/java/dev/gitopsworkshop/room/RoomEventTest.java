package dev.gitopsworkshop.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.tutorial.events.StepEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoomEventTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RoomEvent parse(String json) throws Exception {
    return RoomEvent.parse(JSON.readTree(json));
  }

  private static String refusal(String json) {
    return assertThrows(RoomEvent.Invalid.class, () -> parse(json)).getMessage();
  }

  @Test
  void aRunnersEventTravelsAndComesBackTheSame() throws Exception {
    RoomEvent sent = RoomEvent.of(new StepEvent(StepEvent.Type.FAILING, 4, "podinfo ready", "0/1", Instant.parse("2026-11-20T09:30:00Z")));
    RoomEvent back = RoomEvent.parse(sent.toJson());
    assertEquals(sent, back);
    assertEquals("failing", back.type());
  }

  @Test
  void refusesWhatIsNotAnEventSayingWhy() {
    String ok = "\"id\":\"abcdefgh\",\"type\":\"done\",\"step\":7,\"at\":\"2026-11-20T09:30:00Z\"";
    assertTrue(refusal("[1]").contains("JSON object"));
    assertTrue(refusal("{" + ok + ",\"name\":\"bob\"}").contains("unknown field 'name'"), "an event cannot name another participant");
    assertTrue(refusal("{\"id\":\"abc\",\"type\":\"done\",\"step\":3,\"at\":\"2026-11-20T09:30:00Z\"}").contains("id must be"));
    assertTrue(refusal("{" + ok.replace("\"done\"", "\"won\"") + "}").contains("unknown type 'won'"));
    assertTrue(refusal("{" + ok.replace(":7,", ":\"7\",") + "}").contains("step must be"));
    assertTrue(refusal("{" + ok.replace(":7,", ":-1,") + "}").contains("step must be"));
    assertTrue(refusal("{" + ok.replace("2026-11-20T09:30:00Z", "yesterday") + "}").contains("at must be"));
    assertTrue(refusal("{" + ok + ",\"message\":\"" + "x".repeat(RoomEvent.MAX_TEXT + 1) + "\"}").contains("longer than"));
    assertTrue(refusal("{" + ok + ",\"check\":7}").contains("'check' must be a string"));
    assertTrue(refusal("{\"type\":\"done\",\"step\":3,\"at\":\"2026-11-20T09:30:00Z\"}").contains("'id' is missing"));
  }

  @Test
  void aLongMessageIsCutToOneLineTheRoomKeeps() throws Exception {
    RoomEvent e = RoomEvent.of(StepEvent.hint(2, "line one\nline two " + "y".repeat(2 * RoomEvent.MAX_TEXT)));
    assertEquals(RoomEvent.MAX_TEXT, e.message().length());
    assertTrue(e.message().startsWith("line one line two"));
    RoomEvent.parse(e.toJson()); // the room takes it
  }
}
