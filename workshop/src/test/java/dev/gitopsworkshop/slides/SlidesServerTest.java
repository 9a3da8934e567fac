package dev.gitopsworkshop.slides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import dev.gitopsworkshop.tutorial.model.Step;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlidesServerTest {
  private static final List<Step> STEPS = StepLoader.load(Cli.projectRoot().resolve("steps"));
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheDeckAndEachStepsTextAndShowsAnEditOnReload() throws Exception {
    Files.writeString(dir.resolve("10-a.md"), "# Hello room\n---\n## Deploy\n{{step 4}}\n");
    try (SlidesServer server = SlidesServer.start(0, () -> SlideDeck.load(dir, STEPS))) {
      assertTrue(server.url().matches("http://127\\.0\\.0\\.1:\\d+/"), server.url());
      HttpResponse<String> deck = get(server.url());
      assertEquals(200, deck.statusCode());
      assertTrue(deck.body().contains("id=\"slide-1\"") && deck.body().contains("id=\"slide-2\"") && !deck.body().contains("slide-3"));
      assertTrue(deck.body().contains("<h1>Hello room</h1>"), deck.body());
      assertTrue(!deck.body().matches("(?s).*(src|href)=\"https?://.*"), "nothing from the internet");

      HttpResponse<String> step = get(server.url() + "steps/4");
      assertEquals(200, step.statusCode());
      assertTrue(step.body().contains("Step 4 · Add podinfo through Git") && step.body().contains("git push"), step.body());
      assertEquals(404, get(server.url() + "steps/99").statusCode());
      assertEquals(404, get(server.url() + "elsewhere").statusCode());

      Files.writeString(dir.resolve("20-b.md"), "# Added later\n");
      assertTrue(get(server.url()).body().contains("Added later"), "the deck is read again on reload");
      Files.writeString(dir.resolve("20-b.md"), "# Broken\n{{step 77}}\n");
      HttpResponse<String> broken = get(server.url());
      assertEquals(500, broken.statusCode());
      assertTrue(broken.body().contains("step 77"), broken.body());
    }
  }

  @Test
  void aPortInUseIsRefusedSayingWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      WorkshopException e = assertThrows(WorkshopException.class,
          () -> SlidesServer.start(taken.getLocalPort(), () -> SlideDeck.load(dir, STEPS)).close());
      assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " is in use"), e.getMessage());
      assertTrue(e.hint().contains("--port"), e.hint());
    }
  }
}
