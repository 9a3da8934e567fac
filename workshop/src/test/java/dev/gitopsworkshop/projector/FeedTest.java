package dev.gitopsworkshop.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FeedTest {
  @Test
  void aListenerGetsOnlyTheNewestStateAndNothingWhenItDidNotChange() throws Exception {
    Feed feed = new Feed(4);
    try (Feed.Listener page = feed.listen()) {
      assertTrue(feed.publish("{\"n\":1}"));
      assertTrue(feed.publish("{\"n\":2}"));
      assertFalse(feed.publish("{\"n\":2}"), "the same state again is not news");
      assertEquals("{\"n\":2}", page.next(1000));
      assertNull(page.next(10));
    }
  }

  @Test
  void tooManyPagesAreRefusedAndClosingEndsEveryStream() throws Exception {
    Feed feed = new Feed(2);
    Feed.Listener a = feed.listen();
    Feed.Listener b = feed.listen();
    assertNull(feed.listen(), "a third page is refused");
    b.close();
    Feed.Listener c = feed.listen();
    feed.close();
    assertEquals(Feed.CLOSED, a.next(1000));
    assertEquals(Feed.CLOSED, c.next(1000));
  }
}
