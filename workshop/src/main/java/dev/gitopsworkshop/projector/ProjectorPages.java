package dev.gitopsworkshop.projector;

import dev.gitopsworkshop.console.LabConsole;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * The projector's three addresses on the lab console: the page itself (HTML with its CSS and
 * script inline, nothing from the internet), its state as JSON, and a stream of server-sent
 * events that carries every new state (a standard {@code EventSource} in any current browser).
 */
final class ProjectorPages {
  private static final long KEEPALIVE_MILLIS = 15_000;

  private ProjectorPages() {}

  static void register(LabConsole console, Projector projector) {
    byte[] page = resource("projector.html");
    console.page(Projector.PATH, new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getRequestURI().equals(Projector.PATH) && !req.getRequestURI().equals(Projector.PATH + "/")) {
          resp.sendError(404, "the projector serves " + Projector.PATH + ", " + Projector.PATH + "/state and " + Projector.PATH + "/events");
          return;
        }
        resp.setContentType("text/html;charset=utf-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.getOutputStream().write(page);
      }
    });
    console.page(Projector.PATH + "/state", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.getWriter().write(projector.stateNow());
      }
    });
    console.page(Projector.PATH + "/events", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        stream(projector, resp);
      }
    });
  }

  /** One page's event stream: the state now, then each new one, a comment now and then to keep it open. */
  private static void stream(Projector projector, HttpServletResponse resp) throws IOException {
    Feed.Listener listener = projector.feed().listen();
    if (listener == null) {
      resp.sendError(503, "too many projector pages are open on this lab; close one and reload");
      return;
    }
    try (listener) {
      resp.setContentType("text/event-stream;charset=utf-8");
      resp.setHeader("Cache-Control", "no-cache");
      resp.setHeader("X-Accel-Buffering", "no");
      PrintWriter out = resp.getWriter();
      out.write("retry: 2000\n\n");
      send(out, projector.stateNow());
      while (true) {
        String next = listener.next(KEEPALIVE_MILLIS);
        if (next != null && next.isEmpty()) { // Feed.CLOSED
          return;
        }
        if (next == null) {
          out.write(": still here\n\n");
        } else {
          send(out, next);
        }
        out.flush();
        if (out.checkError()) {
          return; // the page went away
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(PrintWriter out, String state) {
    out.write("event: state\ndata: " + state + "\n\n");
    out.flush();
  }

  private static byte[] resource(String name) {
    try (InputStream in = ProjectorPages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the projector page is missing from the tool: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
