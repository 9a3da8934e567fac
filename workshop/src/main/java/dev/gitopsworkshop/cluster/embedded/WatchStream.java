package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A watch as kube-apiserver streams it: one JSON event per line ({@code {"type":"ADDED",
 * "object":{...}}}), flushed one by one over a chunked HTTP response.
 *
 * <p>Without a resourceVersion (or with "0") the watch first sends every current object as ADDED;
 * with one it replays the changes after it, or sends a 410 ERROR event when the version is older
 * than the kept history. It ends after {@code timeoutSeconds} (default 30 minutes), sends a
 * BOOKMARK every few idle seconds when {@code allowWatchBookmarks} is set, and honours
 * {@code sendInitialEvents} (the initial-events-end bookmark). When the client asks for Tables,
 * each event carries a one-row Table. A client that went away is noticed at the next write.
 */
final class WatchStream {
  private static final long DEFAULT_TIMEOUT_SECONDS = 1800;
  private static final long BOOKMARK_EVERY_MILLIS = 5_000;

  private final ResourceStore store;
  private final java.util.Set<ResourceStore.Subscription> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  WatchStream(ResourceStore store) {
    this.store = store;
  }

  /** Ends every open watch (the server is stopping). */
  void closeAll() {
    stopping = true;
    open.forEach(ResourceStore.Subscription::close);
  }

  interface Sink {
    OutputStream open() throws IOException;
  }

  void serve(ApiRequest req, ResourceType type, Predicate<ObjectNode> filter, Sink sink) throws IOException {
    long timeout = parseLong(req.param("timeoutSeconds"), DEFAULT_TIMEOUT_SECONDS);
    boolean bookmarks = req.flag("allowWatchBookmarks");
    boolean initialEvents = req.flag("sendInitialEvents");
    String rvParam = req.param("resourceVersion");
    long from = rvParam == null || rvParam.isEmpty() ? 0 : parseLong(rvParam, -1);
    if (from < 0) {
      throw ApiException.badRequest("resourceVersion: Invalid value: \"" + rvParam + "\": must be an integer");
    }
    Tables.Include include = req.wantsTable() ? Tables.Include.of(req.param("includeObject")) : null;
    ResourceStore.Subscription sub;
    List<ObjectNode> initial = List.of();
    boolean sendInitial = from == 0 || initialEvents;
    try {
      if (sendInitial) {
        ResourceStore.ListResult list = store.list(type, req.namespace(), filter);
        initial = list.items();
        from = list.revision();
      }
      sub = store.watch(type, req.namespace(), filter, from);
    } catch (ApiException gone) {
      if (gone.code() != 410) {
        throw gone;
      }
      OutputStream out = sink.open();
      ObjectNode event = Json.object();
      event.put("type", "ERROR");
      event.set("object", ApiServer.status(gone));
      write(out, event);
      return;
    }
    open.add(sub);
    try (sub) {
      OutputStream out = sink.open();
      for (ObjectNode o : initial) {
        write(out, event("ADDED", type, o, include));
      }
      long last = from;
      if (initialEvents) {
        write(out, bookmark(type, last, true));
      }
      long deadline = System.currentTimeMillis() + timeout * 1000;
      long lastWrite = System.currentTimeMillis();
      while (System.currentTimeMillis() < deadline && !stopping && !sub.isClosed()) {
        WatchEvent e = sub.poll(Math.min(1000, Math.max(1, deadline - System.currentTimeMillis())), TimeUnit.MILLISECONDS);
        if (e != null) {
          last = e.revision();
          write(out, event(e.type(), type, e.object(), include));
          lastWrite = System.currentTimeMillis();
        } else if (bookmarks && System.currentTimeMillis() - lastWrite > BOOKMARK_EVERY_MILLIS) {
          write(out, bookmark(type, Math.max(last, store.revision()), false));
          lastWrite = System.currentTimeMillis();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGone) {
      // the client closed the connection: nothing to answer
    } finally {
      open.remove(sub);
    }
  }

  private static ObjectNode event(String kind, ResourceType type, ObjectNode object, Tables.Include include) {
    ObjectNode o = object.deepCopy();
    o.put("apiVersion", type.apiVersion());
    ObjectNode event = Json.object();
    event.put("type", kind);
    if (include != null) {
      event.set("object", Tables.table(type, List.of(o), include, o.path("metadata").path("resourceVersion").asLong()));
    } else {
      event.set("object", o);
    }
    return event;
  }

  private static ObjectNode bookmark(ResourceType type, long revision, boolean initialEnd) {
    ObjectNode event = Json.object();
    event.put("type", "BOOKMARK");
    ObjectNode o = event.putObject("object");
    o.put("kind", type.kind());
    o.put("apiVersion", type.apiVersion());
    ObjectNode meta = o.putObject("metadata");
    meta.put("resourceVersion", String.valueOf(revision));
    if (initialEnd) {
      meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    return event;
  }

  private static void write(OutputStream out, ObjectNode event) throws IOException {
    out.write(Json.bytes(event));
    out.write('\n');
    out.flush();
  }

  private static long parseLong(String s, long fallback) {
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
