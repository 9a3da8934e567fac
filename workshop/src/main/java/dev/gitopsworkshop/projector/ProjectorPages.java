package dev.gitopsworkshop.projector;

import dev.gitopsworkshop.console.LabConsole;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * The projector's three addresses on the lab console: the page itself (HTML with its CSS and
 * script inline, nothing from the internet), its state as JSON, and a stream of server-sent
 * events that carries every new state (a standard {@code EventSource} in any current browser).
 */
final class ProjectorPages {
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
        projector.feed().stream(resp, projector::stateNow, "too many projector pages are open on this lab; close one and reload");
      }
    });
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
