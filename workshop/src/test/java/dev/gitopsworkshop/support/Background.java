package dev.gitopsworkshop.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A process started in the background whose stdout and stderr go to files, so that it can never
 * block on a full pipe nobody reads, and whose output can be read at any time, even while it runs.
 * Closing it stops it (and its children), forcibly if it does not end within 20 s.
 */
public final class Background implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;
  private final String name;

  Background(Process process, Path out, Path err, String name) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.name = name;
  }

  public Process process() {
    return process;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** What it printed on stdout so far. */
  public String out() {
    return read(out);
  }

  /** What it printed on stderr so far. */
  public String err() {
    return read(err);
  }

  public Path outFile() {
    return out;
  }

  public Path errFile() {
    return err;
  }

  /** The first stdout line that matches, waiting for it at most {@code atMost}; fails with both streams. */
  public String awaitLine(String description, Predicate<String> match, Duration atMost) {
    AtomicReference<String> found = new AtomicReference<>();
    try {
      await(description)
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            List<String> lines = out().lines().filter(match).limit(1).toList();
            if (!lines.isEmpty()) {
              found.set(lines.get(0));
              return true;
            }
            if (!process.isAlive()) {
              throw new AssertionError(name + " ended (exit " + process.exitValue() + ") before: " + description + "\n" + this);
            }
            return false;
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(description + ": not seen within " + atMost + "\n" + this, e);
    }
    return found.get();
  }

  /** Waits for the process to end; a process still running after {@code atMost} is killed and the test fails. */
  public Cli.Result waitFor(Duration atMost) {
    try {
      if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError(name + " did not end within " + atMost + "\n" + this);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
    return new Cli.Result(process.exitValue(), out(), err());
  }

  /** Sends SIGTERM and says whether it ended within {@code atMost} (it is left running otherwise). */
  public boolean terminate(Duration atMost) {
    process.destroy();
    try {
      return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Ends it at once, children first, as a crash or a lost machine would. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks it to stop (SIGTERM), then kills it if it has not ended within 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  @Override
  public String toString() {
    return name + "\nstdout:\n" + out() + "\nstderr:\n" + err();
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
