package dev.gitopsworkshop.tutorial.events;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Git server's push events from another process: server-sent events at {@code git.eventsUrl}
 * (basic auth), one {@code data: {json}} line per push; reconnects while the caller runs.
 */
final class PushEventStream {
  private static final Logger LOG = LoggerFactory.getLogger(PushEventStream.class);
  private final URI url;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  PushEventStream(String url, String user, String password) {
    this.url = URI.create(url);
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  void follow(Consumer<String> pushes, BooleanSupplier running) {
    while (running.getAsBoolean()) {
      try {
        HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(url).header("Authorization", authorization)
            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null && running.getAsBoolean(); line = in.readLine()) {
            String data = data(line);
            if (data != null) {
              pushes.accept(data);
            }
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.debug("the push event stream ended (the server restarted, or the connection dropped): trying again shortly", e);
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The payload of an SSE {@code data:} line, or null for other lines (comments, event names, blanks). */
  static String data(String line) {
    if (!line.startsWith("data:")) {
      return null;
    }
    return line.substring(line.startsWith("data: ") ? 6 : 5);
  }
}
