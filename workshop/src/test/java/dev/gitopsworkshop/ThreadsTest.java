package dev.gitopsworkshop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
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
}
