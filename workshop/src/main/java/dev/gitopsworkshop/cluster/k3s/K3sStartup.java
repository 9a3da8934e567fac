package dev.gitopsworkshop.cluster.k3s;

import dev.gitopsworkshop.WorkshopException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.output.OutputFrame;

/**
 * The wait for k3s to say it is ready, as a participant sees it: a line every few seconds with the
 * time spent, the limit, and what k3s said last (a first start on a laptop, or importing a
 * prefetched image tarball, takes minutes, and silence looks like a hang); a clear error naming the
 * limit and k3s's last line when the limit passes. Testcontainers' own default wait is 60 s.
 */
final class K3sStartup implements Consumer<OutputFrame>, AutoCloseable {
  private static final Pattern LOGRUS_MESSAGE = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final int SHOWN = 100;

  private final Duration limit;
  private final Consumer<String> progress;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private volatile String lastLine = "";

  K3sStartup(Duration limit, Duration every, Consumer<String> progress) {
    this.limit = limit;
    this.progress = progress;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "k3s-startup-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A line of k3s's output (Testcontainers' log consumer). */
  @Override
  public void accept(OutputFrame frame) {
    String line = message(frame.getUtf8String());
    if (!line.isBlank()) {
      lastLine = line;
    }
  }

  private void tick() {
    progress.accept("k3s is starting: " + elapsed().toSeconds() + " s of at most " + minutes(limit)
        + (lastLine.isEmpty() ? "" : "; it says: " + lastLine));
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Whether the wait used up its limit (so a failed start was the wait running out). */
  boolean exceeded() {
    return elapsed().compareTo(limit) >= 0;
  }

  /** The error for a start that failed: the limit passed, or something else went wrong. */
  WorkshopException failure(RuntimeException e) {
    if (exceeded()) {
      return new WorkshopException("k3s did not say it was ready within " + minutes(limit)
          + (lastLine.isEmpty() ? " (it printed nothing)" : " (its last line: " + lastLine + ")"),
          "a first start unpacks images and can be slow: give it longer with --k3s-timeout MINUTES; check Docker's memory "
              + "('scripts/workshop doctor --cluster k3s'), or use --cluster embedded", e);
    }
    return new WorkshopException("k3s did not start: " + e.getMessage(),
        "k3s needs a privileged container and about 2 GB of memory for Docker (see 'scripts/workshop doctor --cluster k3s'); "
            + "or use --cluster embedded", e);
  }

  /** The message of a k3s log line (logrus: {@code time=... level=info msg="..."}), shortened for a progress line. */
  static String message(String logLine) {
    String line = logLine == null ? "" : logLine.strip();
    Matcher m = LOGRUS_MESSAGE.matcher(line);
    String text = m.find() ? m.group(1).replace("\\\"", "\"") : line;
    return text.length() > SHOWN ? text.substring(0, SHOWN - 3) + "..." : text;
  }

  static String minutes(Duration d) {
    return d.toMinutes() + " min";
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
