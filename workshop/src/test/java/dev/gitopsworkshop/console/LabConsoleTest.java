package dev.gitopsworkshop.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabConsoleTest {
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private static HttpServlet answering(String text) {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write(text + " " + req.getMethod() + " " + req.getRequestURI());
      }
    };
  }

  private HttpResponse<String> send(String url, String method, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pagesAreOpenControlsNeedTheTokenAndTheLongestPrefixWins() throws Exception {
    try (LabConsole console = LabConsole.start(DataDir.at(dir))) {
      console.page("/projector", answering("page"));
      console.page("/projector/events", answering("events"));
      console.control("/api/cluster", answering("control"));

      assertEquals("page GET /projector", send(console.url() + "/projector", "GET", null).body());
      assertEquals("page GET /projector/app.js", send(console.url() + "/projector/app.js", "GET", null).body());
      assertEquals("events GET /projector/events", send(console.url() + "/projector/events", "GET", null).body());
      assertEquals(404, send(console.url() + "/projectors", "GET", null).statusCode());

      HttpResponse<String> anonymous = send(console.url() + "/api/cluster/reset", "POST", null);
      assertEquals(401, anonymous.statusCode());
      assertTrue(anonymous.body().contains("console.token"), anonymous.body());
      assertEquals(401, send(console.url() + "/api/cluster/reset", "POST", "wrong").statusCode());
      HttpResponse<String> allowed = send(console.url() + "/api/cluster/reset", "POST", console.token());
      assertEquals(200, allowed.statusCode());
      assertEquals("control POST /api/cluster/reset", allowed.body());
    }
  }

  @Test
  void aRestartKeepsThePortSoAProjectorBookmarkStillWorks() {
    String first;
    try (LabConsole console = LabConsole.start(DataDir.at(dir))) {
      first = console.url();
      assertTrue(first.startsWith("http://127.0.0.1:"), first);
    }
    try (LabConsole again = LabConsole.start(DataDir.at(dir))) {
      assertEquals(first, again.url());
    }
  }

  @Test
  void whenTheRememberedPortIsTakenAnotherOneIsUsed() {
    try (LabConsole first = LabConsole.start(DataDir.at(dir));
        LabConsole second = LabConsole.start(DataDir.at(dir))) {
      assertTrue(!first.url().equals(second.url()), first.url() + " vs " + second.url());
    }
  }
}
