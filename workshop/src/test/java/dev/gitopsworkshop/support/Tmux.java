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
    String session = name + "-" + ProcessHandle.current().pid();
    cli.run(dir, "tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50", "-c", dir.toString()).ok();
    cli.run(dir, "tmux", "new-window", "-t", session, "-c", dir.toString()).ok();
    return new Tmux(cli, dir, session);
  }

  /** What window 0 (the runner) shows, with its scroll-back. */
  public String screen() {
    return cli.run(dir, "tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", session + ":0").out();
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

  public void awaitScreen(String what, String text, Duration atMost) {
    await(what).atMost(atMost).until(() -> screen().contains(text));
  }

  @Override
  public void close() {
    cli.run(dir, "tmux", "kill-session", "-t", session);
  }
}
