package dev.gitopsworkshop.lab;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a command in the foreground until Ctrl-C or SIGTERM, then runs its clean-up once, from the
 * JVM's shutdown hook (so the same path serves both signals).
 */
public final class Foreground {
  private Foreground() {}

  public static void runUntilSignalled(Runnable cleanup) {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              try {
                cleanup.run();
              } finally {
                done.countDown();
              }
            },
            "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
