package dev.gitopsworkshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadsTest {
  @Test
  void anInterruptedWaiterStillWaitsForTheThreadAndKeepsTheInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread worker = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    worker.start();
    Thread.currentThread().interrupt();
    new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      release.countDown();
    }).start();
    Threads.joinUninterruptibly(worker);
    assertFalse(worker.isAlive(), "the wait lasted until the thread ended");
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
  }

  @Test
  void sideBySideRunsTheItemsAtOnce_andGivesValuesAndFailuresInTheItemsOrder() {
    CountDownLatch all = new CountDownLatch(3);
    List<Threads.Outcome<String>> outcomes = Threads.sideBySide(List.of("a", "b", "c"), 4, "test", item -> {
      all.countDown();
      try {
        // one by one, the first item would wait here for the others, which could not start
        if (!all.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not run side by side");
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      if (item.equals("b")) {
        throw new IllegalArgumentException("refused b");
      }
      return item.toUpperCase();
    });
    assertEquals("A", outcomes.get(0).get());
    assertEquals("refused b", assertThrows(IllegalArgumentException.class, () -> outcomes.get(1).get()).getMessage());
    assertEquals("C", outcomes.get(2).get());
  }

  @Test
  void sideBySideWithOneItemRunsItOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    assertEquals(List.of(true), Threads.sideBySide(List.of(1), 4, "test", i -> Thread.currentThread() == caller)
        .stream().map(Threads.Outcome::get).toList());
  }

  @Test
  void anInterruptedSideBySideWaitIsCancelled_andKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    assertThrows(CancellationException.class, () -> Threads.sideBySide(List.of(1, 2), 2, "test", i -> {
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return i;
    }));
    assertTrue(Thread.interrupted());
  }
}
