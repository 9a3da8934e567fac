package dev.gitopsworkshop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseTogetherTest {
  @Test
  void theClosesRunAtTheSameTime() {
    CountDownLatch all = new CountDownLatch(3);
    Runnable close = () -> {
      all.countDown();
      try {
        // each waits for the others: closed one after another, the first would wait in vain
        assertTrue(all.await(10, TimeUnit.SECONDS), "the other closes did not start meanwhile");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    Lab.closeTogether(List.of(close, close, close));
    assertEquals(0, all.getCount());
  }

  @Test
  void aFailingCloseStopsNoOtherAndIsThrownWhenAllEnded() {
    AtomicInteger ran = new AtomicInteger();
    IllegalStateException first = new IllegalStateException("the cluster did not stop");
    IllegalStateException second = new IllegalStateException("the Git server did not stop");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Lab.closeTogether(List.of(
        () -> {
          ran.incrementAndGet();
          throw first;
        },
        ran::incrementAndGet,
        () -> {
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          ran.incrementAndGet();
          throw second;
        })));
    assertEquals(3, ran.get(), "every close ran to its end");
    assertSame(first, thrown);
    assertSame(second, thrown.getSuppressed()[0]);
  }
}
