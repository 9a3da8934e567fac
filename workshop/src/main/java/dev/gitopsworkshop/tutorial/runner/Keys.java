package dev.gitopsworkshop.tutorial.runner;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single key presses from the participant's terminal, without Enter: the terminal is put in
 * non-canonical mode with {@code stty} for the run and restored afterwards, even on Ctrl-C.
 */
public final class Keys implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Keys.class);
  private final LinkedBlockingQueue<Character> pressed = new LinkedBlockingQueue<>();
  private final String saved;
  private final Thread restoreOnExit;

  Keys(InputStream in, Runnable onKey) {
    saved = stty("-g").strip();
    stty("-icanon", "-echo", "min", "1");
    restoreOnExit = new Thread(this::restore, "restore-terminal");
    Runtime.getRuntime().addShutdownHook(restoreOnExit);
    Thread reader = new Thread(() -> {
      try {
        for (int c = in.read(); c >= 0; c = in.read()) {
          pressed.add((char) c);
          onKey.run();
        }
      } catch (IOException e) {
        LOG.debug("no more keys: the terminal went away ({})", e.toString());
      }
    }, "keys");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Whether the participant has a terminal to read keys from: a console, or at least standard
   * input on a terminal (output may be piped, as in {@code run | tee log}).
   */
  public static boolean terminalAttached() {
    if (System.console() != null) {
      return true;
    }
    try {
      return new ProcessBuilder("sh", "-c", "test -t 0").redirectInput(ProcessBuilder.Redirect.INHERIT).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The next key pressed, or null if none is waiting. */
  Character poll() {
    return pressed.poll();
  }

  private void restore() {
    if (!saved.isEmpty()) {
      stty(saved);
    }
  }

  private static String stty(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "stty";
    System.arraycopy(args, 0, cmd, 1, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty"))).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreOnExit);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
  }
}
