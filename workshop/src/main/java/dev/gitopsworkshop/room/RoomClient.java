package dev.gitopsworkshop.room;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** A participant's lab talking to its room: joining (before anything starts) and posting step events. */
final class RoomClient {
  private static final ObjectMapper JSON = Mappers.JSON;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final RoomSeat seat;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  RoomClient(RoomSeat seat) {
    this.seat = seat;
  }

  /**
   * Asks the room whether the name and password are right; the participant's repository URL when
   * they are, else one clear error (wrong password, not a room, no answer).
   */
  String join() {
    HttpResponse<String> response;
    try {
      response = http.send(request("api/join").GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new WorkshopException("the room at " + seat.url() + " did not answer within " + TIMEOUT.toSeconds() + " s",
          "check the address with the instructor, and this laptop's network", e);
    } catch (ConnectException e) {
      throw new WorkshopException("nothing answers at " + seat.url() + " (is the room serving? is this laptop on the room's network?)",
          "check the address with the instructor: 'room serve' prints it", e);
    } catch (IOException e) {
      throw new WorkshopException("cannot reach the room at " + seat.url() + ": " + e, "check the address with the instructor", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkshopException("interrupted while joining the room", null, e);
    }
    switch (response.statusCode()) {
      case 200 -> { }
      case 401, 403 -> throw new WorkshopException("the room at " + seat.url() + " refused the password of " + seat.name(),
          "check --name and --password against your line of 'room list' (ask the instructor)");
      case 404 -> throw new WorkshopException(seat.url() + " is not a workshop room (it has no /room/api/join)",
          "check the address with the instructor: 'room serve' prints it");
      default -> throw new WorkshopException("the room at " + seat.url() + " answered HTTP " + response.statusCode() + " to "
          + seat.name() + "'s join", "try again in a moment, or tell the instructor");
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      String repository = body.path("repository").asText(null);
      if (repository == null) {
        throw new IOException("no repository in the answer");
      }
      return repository;
    } catch (IOException e) {
      throw new WorkshopException(seat.url() + " answered the join, but not as a workshop room does (" + e.getMessage() + ")",
          "check the address with the instructor", e);
    }
  }

  /** Posts events; the HTTP status (200: kept), or an exception when the room did not answer. */
  int post(List<RoomEvent> events) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("sentAt", Instant.now().toString());
    ArrayNode array = body.putArray("events");
    events.forEach(e -> array.add(e.toJson()));
    HttpRequest request = request("api/events").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(seat.url() + "room/" + path)).timeout(TIMEOUT)
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((seat.name() + ":" + seat.password()).getBytes(StandardCharsets.UTF_8)));
  }
}
