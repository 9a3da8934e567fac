package dev.gitopsworkshop;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for a request's header on every server of the lab: a connection that has not sent a
 * whole header within {@link #DEFAULT} of starting one (or of connecting, when it sends nothing)
 * is closed. Jetty's idle timeout only closes a connection that sends nothing at all, so a client
 * that drips a header a byte at a time (slowloris) would otherwise keep its connection for ever.
 * Once a header is in, the request takes as long as it needs (a large push, an event stream).
 *
 * <p>Jetty has no setting for this; its HTTP/1.1 connection shows its parser, which says whether it
 * is in the middle of a header. Connections are looked at once a second by one shared thread.
 */
public final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
  public static final Duration DEFAULT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);
  private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "http-header-deadline");
    t.setDaemon(true);
    return t;
  });

  /** Since when a connection has been waiting for the rest of a header, for which of its requests. */
  private record Waiting(long sinceNanos, long request) {}

  private final String server;
  private final long deadlineNanos;
  private final Map<HttpConnection, Waiting> connections = new ConcurrentHashMap<>();
  private volatile ScheduledFuture<?> sweeping;

  private HeaderDeadline(String server, Duration deadline) {
    this.server = server;
    this.deadlineNanos = deadline.toNanos();
  }

  /** Puts the deadline on every connector of {@code server} (before it starts). */
  public static void install(Server server, String what, Duration deadline) {
    HeaderDeadline limit = new HeaderDeadline(what, deadline);
    for (Connector connector : server.getConnectors()) {
      connector.addEventListener(limit);
    }
    server.addBean(limit, true);
  }

  @Override
  protected void doStart() {
    long period = Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(deadlineNanos) / 4));
    sweeping = SWEEPER.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    ScheduledFuture<?> task = sweeping;
    if (task != null) {
      task.cancel(false);
    }
    connections.clear();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      connections.put(http, new Waiting(0, -1));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection http) {
      connections.remove(http);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    try {
      connections.replaceAll((connection, waiting) -> {
        if (!waitingForHeader(connection)) {
          return new Waiting(0, -1);
        }
        long request = connection.getMessagesIn();
        if (waiting.sinceNanos() == 0 || waiting.request() != request) {
          return new Waiting(now, request);
        }
        if (now - waiting.sinceNanos() > deadlineNanos) {
          LOG.warn("{}: closing the connection from {}: no whole request header within {} ms", server,
              connection.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
          connection.getEndPoint().close(); // no response: the client has not finished asking anything

        }
        return waiting;
      });
    } catch (RuntimeException e) {
      LOG.warn("{}: the header deadline could not look at its connections: {}", server, e.toString(), e);
    }
  }

  /** In the middle of a header, or connected without a byte sent yet. */
  private static boolean waitingForHeader(HttpConnection connection) {
    HttpParser parser = connection.getParser();
    return parser.inHeaderState() && (!parser.isStart() || connection.getBytesIn() == 0);
  }
}
