package dev.gitopsworkshop.git;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /-/events}: the push events as server-sent events, one {@code data: {json}} line per
 * accepted ref update, with a comment line every 15 seconds to keep the connection open.
 */
final class EventStreamServlet extends HttpServlet {
  static final long KEEP_ALIVE_SECONDS = 15;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Object CLOSED = new Object();

  private final PushEvents events;
  private final Set<BlockingQueue<Object>> streams = ConcurrentHashMap.newKeySet();

  EventStreamServlet(PushEvents events) {
    this.events = events;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    streams.add(queue);
    try (AutoCloseable subscription = events.subscribe(queue::add)) {
      PrintWriter out = response.getWriter();
      out.write(": connected\n\n");
      out.flush();
      while (!out.checkError()) {
        Object next = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        if (next == CLOSED) {
          return;
        }
        out.write(next == null ? ": keep-alive\n\n" : "data: " + toJson((PushEvent) next) + "\n\n");
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the client went away
    } finally {
      streams.remove(queue);
    }
  }

  /** Ends every open stream (the server is stopping). */
  void closeStreams() {
    streams.forEach(queue -> queue.add(CLOSED));
  }

  static String toJson(PushEvent event) {
    return JSON.createObjectNode()
        .put("repository", event.repository())
        .put("ref", event.ref())
        .put("oldId", event.oldId())
        .put("newId", event.newId())
        .put("at", event.at().toString())
        .toString();
  }
}
