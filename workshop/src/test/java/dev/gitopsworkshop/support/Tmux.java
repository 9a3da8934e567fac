package dev.gitopsworkshop.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A tmux session for tests of the guided run: the runner in window 0, a participant's shell in window 1. */
public final class Tmux implements AutoCloseable {
  private final Cli cli;
  private final Path dir;
  private final String session;

  private Tmux(Cli cli, Path dir, String session) {
    this.cli = cli;
    this.dir = dir;
    this.session = session;
  }

  public static boolean installed() throws IOException, InterruptedException {
    try {
      return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** A detached session, wide enough that the runner's lines are not wrapped, with a second window. */
  public static Tmux start(Cli cli, Path dir, String name) {
    return start(cli, dir, name, 200, 50);
  }

  /** A detached session of {@code columns} x {@code rows}, with a second window. */
  public static Tmux start(Cli cli, Path dir, String name, int columns, int rows) {
    String session = name + "-" + ProcessHandle.current().pid();
    cli.run(dir, "tmux", "new-session", "-d", "-s", session, "-x", String.valueOf(columns), "-y", String.valueOf(rows),
        "-c", dir.toString()).ok();
    cli.run(dir, "tmux", "new-window", "-t", session, "-c", dir.toString()).ok();
    return new Tmux(cli, dir, session);
  }

  /** What a window shows now, without scroll-back; lines the terminal wrapped are joined. */
  public String visible(int window) {
    return cli.run(dir, "tmux", "capture-pane", "-p", "-J", "-t", session + ":" + window).out();
  }

  /** A window's screen with its scroll-back. */
  public String screen(int window) {
    return cli.run(dir, "tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", session + ":" + window).out();
  }

  /** A line typed into a window exactly as written (no tmux key names), then Enter. */
  public void typeLiterally(int window, String line) {
    cli.run(dir, "tmux", "send-keys", "-t", session + ":" + window, "-l", line).ok();
    cli.run(dir, "tmux", "send-keys", "-t", session + ":" + window, "Enter").ok();
  }

  /** What window 0 (the runner) shows, with its scroll-back. */
  public String screen() {
    return screen(0);
  }

  /** A line typed into a window, then Enter. */
  public void type(int window, String line) {
    cli.run(dir, "tmux", "send-keys", "-t", session + ":" + window, line, "Enter").ok();
  }

  /** Keys by tmux's names ({@code C-c}) sent to a window. */
  public void keys(int window, String keys) {
    cli.run(dir, "tmux", "send-keys", "-t", session + ":" + window, keys).ok();
  }

  /** A single key pressed in the runner's window, without Enter. */
  public void press(String key) {
    cli.run(dir, "tmux", "send-keys", "-t", session + ":0", "-l", key).ok();
  }

  /** Waits until the runner's window shows {@code text}; fails with both windows' screens. */
  public void awaitScreen(String what, String text, Duration atMost) {
    try {
      await(what).atMost(atMost).until(() -> screen().contains(text));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(what + ": '" + text + "' not seen within " + atMost + "\n--- window 0:\n" + screen(0)
          + "\n--- window 1:\n" + screen(1), e);
    }
  }

  @Override
  /**
   * Kills the session and waits (up to half a minute) for what ran in it to end: a lab stopping on
   * the hang-up still writes in the test's folders, which the test's clean-up is about to delete.
   */
  public void close() {
    java.util.List<ProcessHandle> ran = new java.util.ArrayList<>();
    cli.run(dir, "tmux", "list-panes", "-s", "-t", session, "-F", "#{pane_pid}").out().lines()
        .map(String::strip).filter(l -> l.matches("\\d+")).forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
          ran.add(p);
          p.descendants().forEach(ran::add);
        }));
    cli.run(dir, "tmux", "kill-session", "-t", session);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (ProcessHandle p : ran) {
      try {
        p.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        p.destroyForcibly(); // the clean-up goes on; a process that outlived the hang-up is stopped
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
