package dev.gitopsworkshop.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  @Test
  void linesCarryTheirTimeSinceTheActAndAMilestoneIsSaidOncePerAct() {
    List<String> lines = new ArrayList<>();
    Timeline t = new Timeline((kind, text) -> lines.add(kind + " " + text));
    t.start();
    assertTrue(t.once("seen", Timeline.Kind.SEEN, "drift seen"));
    assertFalse(t.once("seen", Timeline.Kind.SEEN, "drift seen"));
    t.say(Timeline.Kind.HEADING, "Act 2");
    t.start();
    assertTrue(t.once("seen", Timeline.Kind.SEEN, "drift seen"), "a new act may say it again");
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches("SEEN \\+0\\.\\d{3}s\\s+drift seen"), lines.get(0));
    assertEquals("HEADING Act 2", lines.get(1));
  }

  @Test
  void stampsLineUpAndDurationsAreRoundedToATenth() {
    assertEquals("+0.412s   ", Timeline.stamp(0.4124));
    assertEquals("+57.799s  ", Timeline.stamp(57.7991));
    assertEquals("0.5 s", Timeline.duration(0.456));
  }
}
