package dev.gitopsworkshop.demo;

import dev.gitopsworkshop.WorkshopException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for what a demo's watches complete, bounded, with a message that says what did not happen. */
final class Waits {
  private Waits() {}

  static <T> T await(CompletableFuture<T> future, Duration timeout, String what, String hint) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new WorkshopException(what + " did not happen within " + Durations.text(timeout), hint);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WorkshopException we) {
        throw we;
      }
      throw new WorkshopException(what + " failed: " + cause.getMessage(), hint, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkshopException("interrupted while waiting until " + what, null, e);
    }
  }
}
