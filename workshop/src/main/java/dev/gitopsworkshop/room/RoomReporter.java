package dev.gitopsworkshop.room;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.tutorial.events.StepEvent;
import dev.gitopsworkshop.tutorial.events.StepListener;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a participant's step events to the room: each event goes into the data dir's outbox at
 * once, and a sender delivers the outbox in order, in batches, as soon as the room answers. While
 * it does not, the events wait (in the file, so they outlive this process) and the sender tries
 * again, a little less often each time up to every {@value #MAX_BACKOFF_MILLIS} ms.
 */
public final class RoomReporter implements StepListener, AutoCloseable {
  static final long MAX_BACKOFF_MILLIS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(RoomReporter.class);
  private final RoomSeat seat;
  private final Outbox outbox;
  private final RoomClient client;
  private final Semaphore wake = new Semaphore(0);
  private final Thread sender;
  private volatile boolean running = true;
  private volatile boolean unreachable;

  private RoomReporter(RoomSeat seat, DataDir dir) {
    this.seat = seat;
    this.outbox = new Outbox(dir);
    this.client = new RoomClient(seat);
    this.sender = new Thread(this::send, "room-reporter");
    this.sender.setDaemon(true);
  }

  /** Starts delivering this data dir's outbox (and what comes next) to the seat's room. */
  public static RoomReporter start(DataDir dir, RoomSeat seat) {
    RoomReporter reporter = new RoomReporter(seat, dir);
    reporter.sender.start();
    return reporter;
  }

  /**
   * Joins the room: whether the name and password are right, and the participant's repository
   * URL there (one clear error otherwise). Nothing is started before it answers.
   */
  public static String join(RoomSeat seat) {
    return new RoomClient(seat).join();
  }

  @Override
  public void stepEvent(StepEvent event) {
    queue(RoomEvent.of(event));
  }

  /** Tells the room this participant's lab runs. */
  public void joined() {
    queue(RoomEvent.joined());
  }

  private void queue(RoomEvent event) {
    try {
      outbox.append(event);
    } catch (IOException e) {
      LOG.warn("cannot keep a {} event of step {} for the room: {}", event.type(), event.step(), e.toString());
    }
    wake.release();
  }

  private void send() {
    long backoff = 500;
    while (running || hasWork()) {
      try {
        List<RoomEvent> batch = outbox.peek(RoomPages.MAX_BATCH);
        if (batch.isEmpty()) {
          if (!running) {
            return;
          }
          wake.tryAcquire(2, TimeUnit.SECONDS); // another process of this lab may have queued some
          wake.drainPermits();
          continue;
        }
        int status = client.post(batch);
        if (status == 200) {
          outbox.remove(ids(batch));
          if (unreachable) {
            LOG.info("the room at {} answers again; queued events delivered", seat.url());
            unreachable = false;
          }
          backoff = 500;
          continue;
        }
        if (status == 400 || status == 413 || status == 429) {
          LOG.warn("the room at {} refused {} event(s) for good (HTTP {}); they are dropped", seat.url(), batch.size(), status);
          outbox.remove(ids(batch));
          continue;
        }
        LOG.warn("the room at {} answered HTTP {}; {} event(s) wait", seat.url(), status, batch.size());
      } catch (IOException e) {
        if (!unreachable) {
          LOG.warn("the room at {} does not answer ({}); events wait until it does", seat.url(), e.toString());
          unreachable = true;
        }
      } catch (InterruptedException e) {
        return;
      }
      if (!running) {
        return; // closing: what is left waits in the outbox for the next process
      }
      try {
        wake.tryAcquire(backoff, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
  }

  private boolean hasWork() {
    try {
      return outbox.size() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static Set<String> ids(List<RoomEvent> batch) {
    return batch.stream().map(RoomEvent::id).collect(Collectors.toSet());
  }

  /** Waits a moment for the queued events to be delivered, then stops; what is left stays in the outbox. */
  @Override
  public void close() {
    running = false;
    wake.release();
    try {
      sender.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
  }
}
