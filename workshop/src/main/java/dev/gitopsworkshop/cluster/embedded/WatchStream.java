package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch as kubectl and client-go ask for it: an HTTP response streamed in chunks, one JSON event
 * per line ({@code {"type":"ADDED","object":{...}}}), flushed as it happens. Without a
 * resourceVersion the current objects come first as ADDED; with one, the changes after it are
 * replayed (or an ERROR event with 410 Gone when it is too old). Events are Tables when the client
 * asks for Tables ({@code kubectl get -w}), and BOOKMARKs are sent when allowed.
 */
final class WatchStream {
  private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
  /** kube-apiserver's {@code --min-request-timeout}: a watch without timeoutSeconds lasts 1 to 2 times it. */
  private static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;
  private static final long BOOKMARK_EVERY_MS = 10_000;
  /**
   * With nothing else to write for this long, a watch writes anyway (a BOOKMARK when the client
   * allows them, else a blank line, which JSON stream decoders skip): a client that went away is
   * then noticed and its thread freed, instead of waiting out the watch's timeout.
   */
  static final long KEEPALIVE_MS = 15_000;
  private final ResourceStore store;
  private volatile boolean stopping;
  /** The watches being served, closed at once when the server stops (their waits end then). */
  private final Set<ResourceStore.Subscription> serving = ConcurrentHashMap.newKeySet();

  WatchStream(ResourceStore store) {
    this.store = store;
  }

  void stop() {
    stopping = true;
    serving.forEach(ResourceStore.Subscription::close);
  }

  void serve(HttpServletRequest req, HttpServletResponse resp, ResourceType type, String namespace,
      Predicate<ObjectNode> filter) throws IOException {
    String rv = req.getParameter("resourceVersion");
    boolean table = ApiServlet.wantsTable(req);
    String includeObject = req.getParameter("includeObject");
    boolean bookmarks = "true".equals(req.getParameter("allowWatchBookmarks"));
    boolean initialEnd = "true".equals(req.getParameter("sendInitialEvents"));
    // as kube-apiserver: a random length, so that a room's watches do not all end at once
    long timeout = parseLong(req.getParameter("timeoutSeconds"),
        (long) (MIN_REQUEST_TIMEOUT_SECONDS * (1 + java.util.concurrent.ThreadLocalRandom.current().nextDouble())));
    List<ObjectNode> initial = List.of();
    ResourceStore.Subscription sub;
    resp.setStatus(200);
    resp.setContentType("application/json");
    ServletOutputStream out = resp.getOutputStream();
    try {
      if (rv == null || rv.isEmpty() || rv.equals("0") || initialEnd) {
        ResourceStore.ListResult now = store.list(type, namespace, filter);
        sub = store.clientWatch(type, namespace, filter, now.revision());
        initial = now.items();
      } else {
        sub = store.clientWatch(type, namespace, filter, parseLong(rv, 0));
      }
    } catch (ApiException e) {
      write(out, "ERROR", ApiServlet.status(e));
      return;
    }
    serving.add(sub);
    if (stopping) {
      sub.close();
    }
    try (sub) {
      resp.flushBuffer();
      for (ObjectNode o : initial) {
        write(out, "ADDED", table ? Tables.table(type, List.of(o), o.at("/metadata/resourceVersion").asLong(), includeObject) : o);
      }
      if (initialEnd) {
        write(out, "BOOKMARK", bookmark(type, store.revision(), true));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
      long lastBookmark = System.currentTimeMillis();
      long lastWrite = System.currentTimeMillis();
      while (!stopping && !sub.isClosed() && System.nanoTime() < deadline) {
        WatchEvent e = sub.poll(200, TimeUnit.MILLISECONDS); // short: bookmarks and keep-alive lines are timed here
        long now = System.currentTimeMillis();
        if (e != null) {
          ObjectNode obj = e.object().deepCopy();
          obj.put("apiVersion", type.apiVersion());
          write(out, e.type(), table ? Tables.table(type, List.of(obj), e.revision(), includeObject) : obj);
          lastWrite = now;
        } else if (bookmarks && now - lastBookmark > BOOKMARK_EVERY_MS) {
          write(out, "BOOKMARK", bookmark(type, store.revision(), false));
          lastBookmark = now;
          lastWrite = now;
        } else if (now - lastWrite > KEEPALIVE_MS) {
          out.write('\n');
          out.flush();
          lastWrite = now;
        }
      }
      if (sub.fellBehind()) {
        LOG.debug("closed a watch of {} whose client fell behind", type.kind());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.debug("a watch's client went away: {}", e.toString());
    } finally {
      serving.remove(sub);
    }
  }

  private static ObjectNode bookmark(ResourceType type, long revision, boolean initialEventsEnd) {
    ObjectNode b = Json.object();
    b.put("kind", type.kind());
    b.put("apiVersion", type.apiVersion());
    ObjectNode meta = b.putObject("metadata");
    meta.put("resourceVersion", String.valueOf(revision));
    if (initialEventsEnd) {
      meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    return b;
  }

  private static void write(ServletOutputStream out, String type, JsonNode object) throws IOException {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set("object", object);
    out.write((Json.write(event) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static long parseLong(String s, long fallback) {
    try {
      return s == null || s.isEmpty() ? fallback : Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid number: " + s);
    }
  }
}
