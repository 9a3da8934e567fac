package dev.gitopsworkshop;

/** Waiting on threads where an interrupt must not cut the wait short. */
public final class Threads {
  private Threads() {}

  /**
   * Waits until {@code thread} has ended, even when interrupted meanwhile: the interrupt is kept
   * for the caller, who sees it once the thread is done.
   */
  public static void joinUninterruptibly(Thread thread) {
    boolean interrupted = Thread.interrupted(); // set already (a join before this one): would not wait at all
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
