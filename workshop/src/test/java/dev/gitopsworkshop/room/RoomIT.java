package dev.gitopsworkshop.room;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Chromium;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room on loopback: the instructor's {@code room serve}, participants' labs (embedded) joining it
 * with their own passwords and reporting their steps, the board as JSON and in headless Chromium.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Cli cli;
  static Path roomDir;
  static Background room;
  static String url;
  static final Map<String, String> passwords = new HashMap<>();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void serveARoom() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    roomDir = tmp.resolve("room");
    Cli.Result added = cli.run(tmp, cli.workshop("room", "add", "alice", "bob", "carol", "dave", "--data-dir", roomDir.toString())).ok();
    assertTrue(added.out().contains("alice  scripts/workshop run --room http://HOST:PORT/ --name alice --password "), added.out());
    serve();
    for (JsonNode p : JSON.readTree(cli.run(tmp, cli.workshop("room", "list", "-o", "json", "--data-dir", roomDir.toString())).ok().out())) {
      passwords.put(p.path("name").asText(), p.path("password").asText());
      assertEquals(url, p.path("room").asText());
      assertEquals(url + p.path("name").asText() + ".git", p.path("url").asText());
      assertEquals("scripts/workshop run --room " + url + " --name " + p.path("name").asText() + " --password "
          + p.path("password").asText(), p.path("join").asText());
    }
  }

  static void serve() throws Exception {
    room = cli.start(tmp, Map.of(), cli.workshop("room", "serve", "--bind", "127.0.0.1", "--data-dir", roomDir.toString()));
    room.awaitLine("the join lines", l -> l.startsWith("alice  scripts/workshop run --room http://127.0.0.1:"), Duration.ofSeconds(60));
    String served = JSON.readTree(Files.readString(roomDir.resolve("lab.json"))).path("room").path("url").asText();
    if (url != null) {
      assertEquals(url, served, "a restarted room keeps its address");
    }
    url = served;
  }

  @AfterAll
  static void stop() {
    if (room != null) {
      room.close();
    }
  }

  static JsonNode state() throws Exception {
    return JSON.readTree(get("room/state").body());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode participant(JsonNode state, String name) {
    for (JsonNode p : state.path("participants")) {
      if (p.path("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError(name + " is not on the board: " + state);
  }

  static List<String> states(JsonNode p) {
    List<String> out = new ArrayList<>();
    p.path("steps").forEach(s -> out.add(s.path("state").asText()));
    return out;
  }

  static List<String> doneUpTo(int last) {
    return IntStream.rangeClosed(0, 8).mapToObj(i -> i <= last ? "done" : "pending").toList();
  }

  Cli.Result join(String name, String password, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--auto", "--cluster", "embedded", "--data-dir", tmp.resolve(name).toString(),
        "--room", url, "--name", name, "--password", password));
    args.addAll(List.of(extra));
    return cli.run(tmp, cli.workshop(args.toArray(String[]::new)));
  }

  @Test
  @Order(1)
  void threeParticipantsJoinWithTheirOwnPasswordsAndTheBoardShowsEachOnesProgress() throws Exception {
    assertEquals(0, join("alice", passwords.get("alice"), "--to", "4").exitCode());
    assertEquals(0, join("bob", passwords.get("bob"), "--to", "1").exitCode());
    Cli.Result carol = join("carol", passwords.get("carol"), "--to", "0");
    assertEquals(0, carol.exitCode(), carol.toString());
    assertTrue(carol.err().contains("joined the room at " + url + " as carol; its Git is " + url + "carol.git"), carol.err());

    Cli.Result wrong = join("dave", "not-daves-password");
    assertEquals(1, wrong.exitCode(), wrong.toString());
    assertTrue(wrong.err().startsWith("✗ error: the room at " + url + " refused the password of dave"), wrong.err());
    assertEquals(2, wrong.err().lines().count(), wrong.err());
    assertFalse(Files.exists(tmp.resolve("dave/kubeconfig")), "nothing started for a refused password");

    await("the board shows the three labs' steps").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode s = state();
      assertEquals(doneUpTo(4), states(participant(s, "alice")));
      assertEquals(doneUpTo(1), states(participant(s, "bob")));
      assertEquals(doneUpTo(0), states(participant(s, "carol")));
      assertEquals(doneUpTo(-1), states(participant(s, "dave")));
    });
    JsonNode s = state();
    assertTrue(participant(s, "alice").path("joined").asBoolean());
    assertFalse(participant(s, "dave").path("joined").asBoolean());
    assertEquals("[0,1,2,3,4]", participant(s, "alice").path("solvedWithKey").toString(), "run --auto solves every step itself");
    String board = get("room").body() + get("room/state").body();
    passwords.forEach((name, password) -> assertFalse(board.contains(password), "the board shows no password (" + name + "'s)"));
    List<String> aliceLog = cli.git(null, "--git-dir", roomDir.resolve("git/alice.git").toString(), "log", "--format=%s", "main")
        .ok().out().lines().toList();
    assertTrue(aliceLog.contains("Add podinfo"), "alice's commits are in her repository in the room: " + aliceLog);

    // carol's lab is stopped; the commands the tool printed her name only her data dir
    Cli.Result carolAgain = cli.run(tmp, cli.workshop("run", "--auto", "--from", "1", "--to", "1", "--cluster", "embedded",
        "--data-dir", tmp.resolve("carol").toString()));
    assertEquals(0, carolAgain.exitCode(), carolAgain.toString());
    assertTrue(carolAgain.err().contains("this data dir's lab is in the room at " + url + " as carol: it joins again"), carolAgain.err());
    assertFalse(carolAgain.err().contains(passwords.get("carol")), "her password is not printed");
    await("the board shows carol's step 1").atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertEquals(doneUpTo(1), states(participant(state(), "carol"))));
  }

  private static HttpResponse<String> post(String name, String password, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + "room/api/events"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String event(String id, String type, int step) {
    return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"step\":" + step + ",\"at\":\"" + Instant.now() + "\"}";
  }

  @Test
  @Order(2)
  void aParticipantUsesOnlyItsOwnRepositoryAndPostsOnlyWellFormedEventsOfItsOwn() throws Exception {
    Cli.Result other = cli.git(tmp, "ls-remote", url.replace("http://", "http://alice:" + passwords.get("alice") + "@") + "bob.git");
    assertNotEquals(0, other.exitCode(), "alice cannot read bob's repository: " + other);
    Cli.Result own = cli.git(tmp, "ls-remote", url.replace("http://", "http://alice:" + passwords.get("alice") + "@") + "alice.git");
    assertEquals(0, own.exitCode(), own.toString());

    String before = participant(state(), "bob").toString();
    String a = passwords.get("alice");
    assertEquals(400, post("alice", a, "{not json").statusCode());
    HttpResponse<String> named = post("alice", a, "{\"events\":[{\"id\":\"forbobbbbb\",\"type\":\"done\",\"step\":8,\"at\":\"" + Instant.now()
        + "\",\"name\":\"bob\"}]}");
    assertEquals(400, named.statusCode());
    assertTrue(named.body().contains("unknown field 'name'"), named.body());
    HttpResponse<String> half = post("alice", a, "{\"events\":[" + event("goodevent1", "hint", 4) + "," + event("bad", "done", 8) + "]}");
    assertEquals(400, half.statusCode(), "one bad event refuses the batch");
    assertTrue(half.body().contains("event 1: id must be"), half.body());
    String big = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(1000, event("xxxxxxxxxx", "hint", 1))) + "]}";
    assertEquals(413, post("alice", a, big).statusCode());
    assertEquals(401, post("alice", "wrong", "{\"events\":[" + event("wrongpass1", "done", 8) + "]}").statusCode());
    assertEquals(before, participant(state(), "bob").toString(), "nothing of it reached bob");
    assertEquals(0, participant(state(), "alice").path("steps").get(4).path("hints").asInt(), "nothing of a refused batch is kept");
  }

  @Test
  @Order(2)
  void aSecondRoomServeOnTheSameDataDirIsRefusedAndStatusSaysItIsARoom() {
    Cli.Result second = cli.run(tmp, cli.workshop("room", "serve", "--bind", "127.0.0.1", "--data-dir", roomDir.toString()));
    assertEquals(1, second.exitCode(), second.toString());
    assertTrue(second.err().contains("the data directory " + roomDir + " is in use by 'room serve' (process " + room.pid()),
        second.err());
    assertEquals(2, second.err().lines().count(), second.err());
    assertTrue(second.err().contains("use that room (scripts/workshop room list --data-dir " + roomDir + ")"), second.err());

    Cli.Result status = cli.run(tmp, cli.workshop("status", "--data-dir", roomDir.toString()));
    assertEquals(1, status.exitCode(), status.toString());
    assertTrue(status.err().contains("the room's server runs in " + roomDir), status.err());
    assertTrue(status.err().contains("on the board at " + url + "room"), status.err());
  }

  @Test
  @Order(3)
  void theBoardPageShowsTheRoomAndFollowsItLive() throws Exception {
    try (Chromium browser = Chromium.start(1024, 768)) {
      browser.open(url + "room");
      browser.waitFor("the board is live", "window.board.live", Duration.ofSeconds(20));
      browser.waitFor("alice's step 4 shown done", "document.querySelector('tr[data-name=\"alice\"] td.cell[data-step=\"4\"]')"
          + ".dataset.state === 'done'", Duration.ofSeconds(10));
      assertEquals("pending", browser.text("document.querySelector('tr[data-name=\"bob\"] td.cell[data-step=\"2\"]').dataset.state"));
      assertEquals("done", browser.text("document.querySelector('tr[data-name=\"carol\"] td.cell[data-step=\"0\"]').dataset.state"));
      assertTrue(browser.text("document.querySelector('tr[data-name=\"dave\"] td.name').className").contains("absent"));

      assertEquals(200, post("bob", passwords.get("bob"), "{\"events\":[" + event("bobstarts2", "started", 2) + ","
          + "{\"id\":\"bobfails02\",\"type\":\"failing\",\"step\":2,\"at\":\"" + Instant.now()
          + "\",\"check\":\"Secret flux-system/workshop-git exists\",\"message\":\"absent\"}]}").statusCode());
      browser.waitFor("bob's step 2 shown in progress, without a reload", "document.querySelector('tr[data-name=\"bob\"] "
          + "td.cell[data-step=\"2\"]').dataset.state === 'in progress'", Duration.ofSeconds(5));
      assertTrue(browser.text("document.querySelector('tr[data-name=\"bob\"] td.check').textContent")
          .contains("Secret flux-system/workshop-git exists (now: absent)"));
      assertTrue(browser.text("document.querySelector('tr[data-name=\"bob\"] td.now').textContent").startsWith("0:0"),
          "the time on step 2: " + browser.text("document.querySelector('tr[data-name=\"bob\"] td.now').textContent"));
      browser.screenshot(Chromium.screenshotFile("room-board"));
    }
  }

  @Test
  @Order(4)
  void eventsWaitWhileTheRoomDoesNotAnswerAndArriveWhenItDoes() throws Exception {
    try (RunningLab dave = RunningLab.up(tmp, tmp.resolve("dave-lab"), "--room", url, "--name", "dave", "--password", passwords.get("dave"))) {
      assertEquals(url, dave.lab().get("room", "url"));
      assertEquals("remote", dave.lab().get("git", "mode"));
      await("dave shown joined").atMost(Duration.ofSeconds(15)).until(() -> participant(state(), "dave").path("joined").asBoolean());
      cli.run(tmp, cli.workshop("run", "--auto", "--to", "0", "--data-dir", dave.dataDir().toString())).ok();
      assertTrue(room.terminate(Duration.ofSeconds(20)), "the room stops");

      // step 1 needs only the cluster: the tutorial goes on while the room (and its Git) is away
      Cli.Result r = cli.run(tmp, cli.workshop("run", "--auto", "--from", "1", "--to", "1", "--data-dir", dave.dataDir().toString()));
      assertEquals(0, r.exitCode(), "a room that does not answer does not stop the tutorial: " + r);
      Path outbox = dave.dataDir().resolve("room-outbox.jsonl");
      assertTrue(Files.readString(outbox).contains("\"type\":\"done\",\"step\":1"), "step 1's events wait in " + outbox);

      serve();
      await("step 1's events delivered once the room answers again").atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertEquals(doneUpTo(1), states(participant(state(), "dave"))));
      await("the outbox emptied").atMost(Duration.ofSeconds(10)).until(() -> Files.readString(outbox).isBlank());
      assertEquals(doneUpTo(4), states(participant(state(), "alice")), "the room kept what it had before it stopped");
    }
  }

  @Test
  @Order(5)
  void fortyParticipantsFitABoardOf1024By768() throws Exception {
    List<String> more = IntStream.rangeClosed(5, 40).mapToObj(i -> String.format("participant-%02d", i)).toList();
    List<String> args = new ArrayList<>(List.of("room", "add", "--data-dir", roomDir.toString()));
    args.addAll(more);
    cli.run(tmp, cli.workshop(args.toArray(String[]::new))).ok();
    try (Chromium browser = Chromium.start(1024, 768)) {
      browser.open(url + "room");
      browser.waitFor("40 participants on the board", "document.querySelectorAll('tr[data-name]').length === 40", Duration.ofSeconds(20));
      JsonNode fit = browser.eval("(() => { const rows = [...document.querySelectorAll('tr[data-name]')];"
          + " const outside = rows.filter(r => { const b = r.getBoundingClientRect(); return b.bottom > innerHeight || b.right > innerWidth; })"
          + "   .map(r => r.dataset.name);"
          + " const font = Math.min(...rows.map(r => parseFloat(getComputedStyle(r.querySelector('td.name')).fontSize)));"
          + " const scroll = document.scrollingElement;"
          + " return {outside, font, width: innerWidth, height: innerHeight,"
          + "   scrolls: scroll.scrollHeight > innerHeight || scroll.scrollWidth > innerWidth}; })()");
      browser.screenshot(Chromium.screenshotFile("room-board-40"));
      assertEquals(1024, fit.path("width").asInt(), fit.toString());
      assertEquals("[]", fit.path("outside").toString(), "every participant is on the screen: " + fit);
      assertFalse(fit.path("scrolls").asBoolean(), fit.toString());
      assertTrue(fit.path("font").asDouble() >= 14, "legible from the back of the room: " + fit);
    }
  }
}
