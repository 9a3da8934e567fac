package dev.gitopsworkshop.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StateFeedTest {
  @Test
  void aListenerGetsOnlyTheNewestStateAndNothingWhenItDidNotChange() throws Exception {
    StateFeed feed = new StateFeed(4);
    try (StateFeed.Listener page = feed.listen()) {
      assertTrue(feed.publish("{\"n\":1}"));
      assertTrue(feed.publish("{\"n\":2}"));
      assertFalse(feed.publish("{\"n\":2}"), "the same state again is not news");
      assertEquals("{\"n\":2}", page.next(1000));
      assertNull(page.next(10));
    }
  }

  @Test
  void tooManyPagesAreRefusedAndClosingEndsEveryStream() throws Exception {
    StateFeed feed = new StateFeed(2);
    StateFeed.Listener a = feed.listen();
    StateFeed.Listener b = feed.listen();
    assertNull(feed.listen(), "a third page is refused");
    b.close();
    StateFeed.Listener c = feed.listen();
    feed.close();
    assertEquals(StateFeed.CLOSED, a.next(1000));
    assertEquals(StateFeed.CLOSED, c.next(1000));
  }
}
