package dev.gitopsworkshop.git;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /-/events}: the push events as server-sent events, one {@code data: {json}} line per
 * updated ref, with a comment line every 15 seconds to keep proxies and clients awake. A room
 * account sees only its own repository's pushes.
 */
final class PushEventStream extends HttpServlet {
  private static final Logger LOG = LoggerFactory.getLogger(PushEventStream.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  private static final long KEEP_ALIVE_SECONDS = 15;
  private final PushEvents events;
  private volatile boolean stopping;

  PushEventStream(PushEvents events) {
    this.events = events;
  }

  void stop() {
    stopping = true;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Account account = (Account) req.getAttribute(BasicAuthFilter.ACCOUNT_ATTRIBUTE);
    resp.setContentType("text/event-stream");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-cache");
    LinkedBlockingQueue<PushEvent> queue = new LinkedBlockingQueue<>();
    PrintWriter out = resp.getWriter();
    try (AutoCloseable sub =
        events.subscribe(e -> {
          if (GitCredentials.mayUse(account, e.repository())) {
            queue.add(e);
          }
        })) {
      out.write(": connected\n\n");
      out.flush();
      long lastWrite = System.nanoTime();
      while (!stopping && !out.checkError()) {
        PushEvent e = queue.poll(250, TimeUnit.MILLISECONDS); // short, so a stopping server is noticed at once
        if (e != null) {
          out.write("data: " + toJson(e) + "\n\n");
        } else if (System.nanoTime() - lastWrite > TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS)) {
          out.write(": keep-alive\n\n");
        } else {
          continue;
        }
        out.flush();
        lastWrite = System.nanoTime();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("a push event stream's client went away: {}", e.toString());
    }
  }

  static String toJson(PushEvent e) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("repository", e.repository());
    node.put("ref", e.ref());
    node.put("oldId", e.oldId());
    node.put("newId", e.newId());
    node.put("pusher", e.pusher());
    node.put("at", e.at().toString());
    return JSON.writeValueAsString(node);
  }
}
