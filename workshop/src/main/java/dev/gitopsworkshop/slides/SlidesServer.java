package dev.gitopsworkshop.slides;

import dev.gitopsworkshop.JettyStart;
import dev.gitopsworkshop.WorkshopException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the deck on loopback, offline: {@code /} is every slide in one page (navigation by
 * keyboard, the slide's number in the URL's hash), {@code /steps/N} a step's text. The deck is read
 * again on every page load, so an edited slide shows on reload.
 */
public final class SlidesServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlidesServer.class);
  private final Server server;
  private final String url;

  private SlidesServer(Server server, String url) {
    this.server = server;
    this.url = url;
  }

  /** Starts on 127.0.0.1:{@code port} (0: any free port). */
  public static SlidesServer start(int port, Supplier<SlideDeck> deck) {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("slides");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new Pages(deck, template())), "/*");
    server.setHandler(context);
    server.setStopTimeout(1000);
    JettyStart.start(server, "the slides server", "port " + port + " is in use, so the slides cannot be served there",
        "choose another with --port, or leave it out for any free port");
    return new SlidesServer(server, "http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  public String url() {
    return url;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("the slides server did not stop cleanly", e);
    }
  }

  private static String template() {
    try (InputStream in = SlidesServer.class.getResourceAsStream("deck.html")) {
      if (in == null) {
        throw new IllegalStateException("the deck's page is missing from the tool");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The deck page (slides filled into the template) and the step pages. */
  private static final class Pages extends HttpServlet {
    private final transient Supplier<SlideDeck> deck;
    private final String template;

    Pages(Supplier<SlideDeck> deck, String template) {
      this.deck = deck;
      this.template = template;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String path = req.getRequestURI();
      SlideDeck d;
      try {
        d = deck.get();
      } catch (WorkshopException e) {
        resp.sendError(500, e.getMessage() + ": " + e.hint());
        return;
      }
      if (path.equals("/")) {
        respond(resp, template.replace("<!--TITLE-->", "GitOps workshop").replace("<!--SLIDES-->", sections(d.slides())));
        return;
      }
      if (path.matches("/steps/\\d{1,3}")) {
        Optional<String> step = d.stepHtml(Integer.parseInt(path.substring("/steps/".length())));
        if (step.isPresent()) {
          respond(resp, template.replace("<!--TITLE-->", "GitOps workshop · step")
              .replace("<!--SLIDES-->", "<section class=\"slide text\">" + step.get() + "<p><a href=\"/\">back to the slides</a></p></section>"));
          return;
        }
      }
      resp.sendError(404, "no such page: the slides are at /, each step's text at /steps/N");
    }

    private static String sections(List<SlideDeck.Slide> slides) {
      StringBuilder out = new StringBuilder();
      int n = 0;
      for (SlideDeck.Slide s : slides) {
        n++;
        out.append("<section class=\"slide").append(s.step() == null ? "" : " hands-on").append("\" id=\"slide-").append(n)
            .append("\" data-title=\"").append(SlideDeck.escape(s.title())).append("\" data-file=\"").append(SlideDeck.escape(s.file()))
            .append("\">\n").append(s.html()).append("</section>\n");
      }
      return out.toString();
    }

    private static void respond(HttpServletResponse resp, String html) throws IOException {
      resp.setContentType("text/html;charset=utf-8");
      resp.setHeader("Cache-Control", "no-cache");
      resp.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
    }
  }
}
