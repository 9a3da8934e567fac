package dev.gitopsworkshop.cluster.embedded;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the embedded kubelet keeps of its containers' output, as a real kubelet keeps log files:
 * every line with the time it was written, per run of a container; when a container starts again
 * the run before stays readable as {@code --previous}, and older runs go. Each run keeps at most
 * {@link #MAX_CHARS} characters (the oldest lines go first), so a chatty container cannot fill the
 * lab's memory. Lines of a pod go when the pod goes.
 */
public final class ContainerLogs {
  /** About what a real kubelet keeps before it rotates (10 MiB) is too much for a lab of 500 pods. */
  public static final int MAX_CHARS = 256 * 1024;

  private final Map<String, Runs> containers = new ConcurrentHashMap<>();

  /** One line of output and when it was written. */
  public record Line(long seq, Instant time, String text) {}

  /**
   * A new run of a container (its first start or a restart): the run before becomes the previous
   * one, and its followers see it end.
   */
  public ContainerLog start(String podUid, String container) {
    Runs runs = containers.computeIfAbsent(key(podUid, container), k -> new Runs());
    Run run = new Run();
    Run before;
    synchronized (runs) {
      before = runs.current;
      runs.previous = before;
      runs.current = run;
    }
    if (before != null) {
      before.end();
    }
    return run::write;
  }

  /** The container stopped: its run ends (followers see the end) but stays readable. */
  public void end(String podUid, String container) {
    current(podUid, container).ifPresent(Run::end);
  }

  /** The pod is gone: so are its containers' lines. */
  public void forget(String podUid, Iterable<String> containerNames) {
    for (String name : containerNames) {
      Runs runs = containers.remove(key(podUid, name));
      if (runs != null) {
        runs.endAll();
      }
    }
  }

  /** Every pod is gone (a cluster reset). */
  public void clear() {
    containers.values().forEach(Runs::endAll);
    containers.clear();
  }

  public Optional<Run> current(String podUid, String container) {
    Runs runs = containers.get(key(podUid, container));
    return Optional.ofNullable(runs == null ? null : runs.current);
  }

  public Optional<Run> previous(String podUid, String container) {
    Runs runs = containers.get(key(podUid, container));
    return Optional.ofNullable(runs == null ? null : runs.previous);
  }

  private static String key(String podUid, String container) {
    return podUid + "/" + container;
  }

  private static final class Runs {
    volatile Run current;
    volatile Run previous;

    void endAll() {
      for (Run r : new Run[] {current, previous}) {
        if (r != null) {
          r.end();
        }
      }
    }
  }

  /** One run of a container: its lines so far, and whether it has ended. */
  public static final class Run {
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private long nextSeq;
    private long chars;
    private boolean ended;

    synchronized void write(String text) {
      if (ended) {
        return;
      }
      for (String line : text.split("\n", -1)) {
        lines.addLast(new Line(nextSeq++, Instant.now(), line));
        chars += line.length() + 1;
      }
      while (chars > MAX_CHARS && lines.size() > 1) {
        chars -= lines.removeFirst().text().length() + 1;
      }
      notifyAll();
    }

    synchronized void end() {
      ended = true;
      notifyAll();
    }

    public synchronized boolean ended() {
      return ended;
    }

    /** The lines kept now. */
    public synchronized List<Line> lines() {
      return new ArrayList<>(lines);
    }

    /**
     * The lines after {@code seq} (-1: all kept), waiting up to {@code millis} for one when there
     * are none yet; empty when none came or the run has ended.
     */
    public synchronized List<Line> after(long seq, long millis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + millis;
      while (!ended && (lines.isEmpty() || lines.peekLast().seq() <= seq)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return List.of();
        }
        wait(left);
      }
      List<Line> out = new ArrayList<>();
      for (Line l : lines) {
        if (l.seq() > seq) {
          out.add(l);
        }
      }
      return out;
    }
  }
}
