package dev.gitopsworkshop.room;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.git.Account;
import dev.gitopsworkshop.git.GitServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room's addresses beside its Git. Open to anyone who reaches the room (a projector's browser):
 * {@code /room} (the board: HTML with its CSS and script inline), {@code /room/state} (JSON) and
 * {@code /room/events} (server-sent events). With a participant's account only:
 * {@code GET /room/api/join} (whether the name and password are right, and the participant's
 * repository) and {@code POST /room/api/events} ({@code {"sentAt", "events": [...]}}, at most
 * {@value #MAX_BATCH} events and {@value #MAX_BODY} bytes; anything malformed is refused whole with
 * 400, anything larger with 413, and nothing of it is kept).
 */
final class RoomPages {
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_BATCH = 100;
  private static final Logger LOG = LoggerFactory.getLogger(RoomPages.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  private static final Set<String> BODY_FIELDS = Set.of("sentAt", "events");

  private RoomPages() {}

  static List<GitServer.Route> routes(RoomServer room) {
    byte[] page = resource("board.html");
    HttpServlet board = new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        switch (path) {
          case RoomServer.PATH, RoomServer.PATH + "/" -> {
            resp.setContentType("text/html;charset=utf-8");
            resp.setHeader("Cache-Control", "no-cache");
            resp.getOutputStream().write(page);
          }
          case RoomServer.PATH + "/state" -> {
            resp.setContentType("application/json;charset=utf-8");
            resp.setHeader("Cache-Control", "no-cache");
            resp.getWriter().write(room.stateNow());
          }
          case RoomServer.PATH + "/events" ->
              room.feed().stream(resp, room::stateNow, "too many boards are open on this room; close one and reload");
          default -> error(resp, 404, "the room serves /room (the board), /room/state and /room/events");
        }
      }
    };
    HttpServlet api = new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account account = GitServer.account(req);
        if (account == null || account.repository() == null) {
          error(resp, 403, "only a participant of this room joins it or posts events (see 'room list')");
          return;
        }
        String path = req.getRequestURI();
        if (path.equals(RoomServer.PATH + "/api/join") && req.getMethod().equals("GET")) {
          ObjectNode out = JSON.createObjectNode().put("name", account.username()).put("repository", room.repositoryUrl(account))
              .put("room", room.url()).put("board", room.boardUrl());
          json(resp, 200, out);
        } else if (path.equals(RoomServer.PATH + "/api/events") && req.getMethod().equals("POST")) {
          postEvents(room, account, req, resp);
        } else {
          error(resp, 404, "the room's API is GET /room/api/join and POST /room/api/events");
        }
      }
    };
    return List.of(new GitServer.Route(RoomServer.PATH, board, true), new GitServer.Route(RoomServer.PATH + "/api", api, false));
  }

  private static void postEvents(RoomServer room, Account account, HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (req.getContentLengthLong() > MAX_BODY) {
      error(resp, 413, "a batch of events is at most " + MAX_BODY + " bytes");
      return;
    }
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      error(resp, 413, "a batch of events is at most " + MAX_BODY + " bytes");
      return;
    }
    List<RoomEvent> batch = new ArrayList<>();
    Duration skew;
    try {
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new RoomEvent.Invalid("the body is not JSON");
      }
      skew = readBatch(root, batch);
    } catch (RoomEvent.Invalid e) {
      LOG.info("refused events from {}: {}", account.username(), e.getMessage());
      error(resp, 400, e.getMessage());
      return;
    }
    if (room.events().add(account.username(), batch, skew) == RoomEvents.Outcome.FULL) {
      error(resp, 429, account.username() + " has sent " + RoomEvents.MAX_PER_PARTICIPANT + " events already; the room keeps no more");
      return;
    }
    json(resp, 200, JSON.createObjectNode().put("accepted", batch.size()));
  }

  /** Validates a body into {@code batch}; returns the room's clock minus the lab's. */
  private static Duration readBatch(JsonNode root, List<RoomEvent> batch) throws RoomEvent.Invalid {
    if (!(root instanceof ObjectNode object)) {
      throw new RoomEvent.Invalid("the body is a JSON object {\"sentAt\", \"events\": [...]}");
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!BODY_FIELDS.contains(name)) {
        throw new RoomEvent.Invalid("unknown field '" + name + "' (the body has sentAt and events)");
      }
    }
    JsonNode events = object.get("events");
    if (events == null || !events.isArray() || events.isEmpty() || events.size() > MAX_BATCH) {
      throw new RoomEvent.Invalid("'events' is an array of 1 to " + MAX_BATCH + " events");
    }
    int i = 0;
    for (JsonNode e : events) {
      try {
        batch.add(RoomEvent.parse(e));
      } catch (RoomEvent.Invalid invalid) {
        throw new RoomEvent.Invalid("event " + i + ": " + invalid.getMessage());
      }
      i++;
    }
    JsonNode sentAt = object.get("sentAt");
    if (sentAt == null) {
      return Duration.ZERO;
    }
    try {
      return Duration.between(Instant.parse(sentAt.asText()), Instant.now());
    } catch (DateTimeParseException e) {
      throw new RoomEvent.Invalid("sentAt must be a time like 2026-11-20T09:30:00Z");
    }
  }

  private static void json(HttpServletResponse resp, int status, ObjectNode body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    resp.setHeader("Cache-Control", "no-cache");
    resp.getWriter().write(JSON.writeValueAsString(body));
  }

  private static void error(HttpServletResponse resp, int status, String message) throws IOException {
    json(resp, status, JSON.createObjectNode().put("error", message));
  }

  private static byte[] resource(String name) {
    try (InputStream in = RoomPages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the room board's page is missing from the tool: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
