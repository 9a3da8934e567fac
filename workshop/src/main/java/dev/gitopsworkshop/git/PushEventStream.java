package dev.gitopsworkshop.git;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /-/events}: the push events as server-sent events, one {@code data: {json}} line per
 * updated ref, with a comment line every 15 seconds to keep proxies and clients awake (and to
 * notice a client that went away). A room
 * account sees only its own repository's pushes.
 *
 * <p>A stream holds no thread while it waits (asynchronous, non-blocking writes), and streams are
 * counted per account and in all: past either limit a new one is answered 429 at once, so that no
 * account can take the server's threads from Git's own requests. A stream whose client reads
 * nothing while events pile up is closed (the client reconnects), as a Kubernetes API server closes
 * a watcher that falls behind.
 */
public final class PushEventStream extends HttpServlet {
  /**
   * How many streams may be open at once, and how often an idle one is written to.
   *
   * @param perAccount for one account (a participant's runner, projector and tools)
   * @param total for the whole server (a room)
   * @param keepAlive between comment lines on an idle stream; a client gone away is noticed on the
   *     next write or the one after, and its place freed
   */
  public record Limits(int perAccount, int total, Duration keepAlive) {
    public static final Limits DEFAULT = new Limits(8, 512, Duration.ofSeconds(15));

    public Limits {
      if (perAccount < 1 || total < perAccount) {
        throw new IllegalArgumentException("stream limits must be 1 <= perAccount <= total: " + perAccount + ", " + total);
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(PushEventStream.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  /** Events waiting for one slow client before its stream is closed. */
  private static final int MAX_QUEUED = 1000;
  private static final byte[] CONNECTED = ": connected\n\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

  private final PushEvents events;
  private final Limits limits;
  private final Map<String, Integer> perAccount = new ConcurrentHashMap<>();
  private int counted;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService keepAlive;
  private volatile boolean stopping;

  PushEventStream(PushEvents events, Limits limits) {
    this.events = events;
    this.limits = limits;
    this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "git-events-keep-alive");
      t.setDaemon(true);
      return t;
    });
    long every = limits.keepAlive().toMillis();
    keepAlive.scheduleAtFixedRate(() -> open.forEach(s -> s.send(KEEP_ALIVE)), every, every, TimeUnit.MILLISECONDS);
  }

  /** Ends every stream (the server is stopping). */
  void stop() {
    stopping = true;
    keepAlive.shutdownNow();
    open.forEach(Stream::close);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Account account = (Account) req.getAttribute(BasicAuthFilter.ACCOUNT_ATTRIBUTE);
    String refusal = stopping ? "the Git server is stopping" : take(account.username());
    if (refusal != null) {
      LOG.warn("event stream refused for {}: {}", account.username(), refusal);
      resp.setHeader("Retry-After", "10");
      resp.sendError(429, refusal);
      return;
    }
    resp.setContentType("text/event-stream");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-cache");
    AsyncContext async = req.startAsync();
    async.setTimeout(0);
    Stream stream = new Stream(account, async, resp.getOutputStream());
    open.add(stream);
    async.addListener(stream);
    stream.subscription = events.subscribe(e -> {
      if (GitCredentials.mayUse(account, e.repository())) {
        stream.send(("data: " + toJson(e) + "\n\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    stream.send(CONNECTED);
    stream.out.setWriteListener(stream);
  }

  /** Counts a new stream for the account, or says why it may not have one. */
  private synchronized String take(String username) {
    int mine = perAccount.getOrDefault(username, 0);
    if (mine >= limits.perAccount()) {
      return "account " + username + " has " + mine + " event streams open, the most one account may have: close one first";
    }
    if (counted >= limits.total()) {
      return "the Git server has " + counted + " event streams open, the most it serves at once: try again later";
    }
    perAccount.merge(username, 1, Integer::sum);
    counted++;
    return null;
  }

  private synchronized void release(String username) {
    perAccount.computeIfPresent(username, (k, n) -> n <= 1 ? null : n - 1);
    counted--;
  }

  static String toJson(PushEvent e) {
    ObjectNode node = JSON.createObjectNode();
    node.put("repository", e.repository());
    node.put("ref", e.ref());
    node.put("oldId", e.oldId());
    node.put("newId", e.newId());
    node.put("pusher", e.pusher());
    node.put("at", e.at().toString());
    return node.toString();
  }

  /** One client's stream: what waits to be written, written whenever the connection can take it. */
  private final class Stream implements WriteListener, AsyncListener {
    private final Account account;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private volatile AutoCloseable subscription;
    private boolean listening;
    private boolean unflushed;
    private boolean closed;

    Stream(Account account, AsyncContext async, ServletOutputStream out) {
      this.account = account;
      this.async = async;
      this.out = out;
    }

    void send(byte[] chunk) {
      synchronized (this) {
        if (closed) {
          return;
        }
        if (queue.size() >= MAX_QUEUED) {
          LOG.warn("closing the event stream of {}: its client read nothing while {} events waited", account.username(), MAX_QUEUED);
          close();
          return;
        }
        queue.add(chunk);
      }
      write();
    }

    @Override
    public void onWritePossible() {
      synchronized (this) {
        listening = true;
      }
      write();
    }

    /** Writes what waits while the connection takes it; the container calls back when it can take more. */
    private synchronized void write() {
      if (closed || !listening) {
        return;
      }
      try {
        while (out.isReady()) {
          byte[] next = queue.poll();
          if (next != null) {
            out.write(next);
            unflushed = true;
          } else if (unflushed) {
            unflushed = false;
            out.flush();
          } else {
            return;
          }
        }
      } catch (IOException | IllegalStateException e) {
        LOG.debug("event stream of {} ended: {}", account.username(), e.toString());
        close();
      }
    }

    @Override
    public void onError(Throwable t) {
      LOG.debug("event stream of {} failed: {}", account.username(), t.toString());
      close();
    }

    void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        queue.clear();
      }
      open.remove(this);
      release(account.username());
      try {
        AutoCloseable sub = subscription;
        if (sub != null) {
          sub.close();
        }
        async.complete();
      } catch (Exception e) {
        LOG.debug("event stream of {} was already complete: {}", account.username(), e.toString());
      }
    }

    @Override
    public void onComplete(AsyncEvent event) {
      close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      close();
    }

    @Override
    public void onError(AsyncEvent event) {
      close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // one async cycle per stream
    }
  }
}
