package dev.gitopsworkshop.git;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Urls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No account can stall the Git server for the room: event streams are capped per account and in
 * all, and Git's own requests are served through a flood of them (bench/git-events-flood.sh shows
 * the figure on a quiet machine).
 */
class EventStreamLimitsIT {
  /** What a loaded CI machine keeps for one ls-remote; before the caps it timed out at 20 s. */
  private static final Duration LS_REMOTE_BOUND = Duration.ofSeconds(5);

  @TempDir Path tmp;
  private GitServer server;
  private Cli cli;
  private final List<Socket> streams = new ArrayList<>();

  private void start(PushEventStream.Limits limits) {
    server = GitServer.start(new GitServer.Options(DataDir.at(tmp.resolve("data")), "127.0.0.1", null,
        GitServer.DEFAULT_MAX_PUSH_BYTES, ProjectContent.at(Cli.projectRoot()), null, limits));
  }

  @BeforeEach
  void home() throws IOException {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : streams) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Opens {@code GET /-/events} as {@code user} on a socket of its own and leaves it open. */
  private Socket open(String user, String password) throws IOException {
    URI base = URI.create(server.baseUrl());
    Socket socket = new Socket(base.getHost(), base.getPort());
    streams.add(socket);
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().write(("GET /-/events HTTP/1.1\r\nHost: lab\r\nAuthorization: Basic " + auth + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Reads until {@code marker} has come (or the stream ended); what was read. */
  private static String readUntil(Socket socket, String marker) throws IOException {
    socket.setSoTimeout(20_000);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  private static int statusOf(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  @Test
  void aFloodOfEventStreamsFromOneAccountLeavesGitAnsweringAndTheAcceptedStreamsWorking() throws Exception {
    // the default caps; idle streams written to every second, so that a closed one is noticed soon
    start(new PushEventStream.Limits(PushEventStream.Limits.DEFAULT.perAccount(), PushEventStream.Limits.DEFAULT.total(),
        Duration.ofSeconds(1)));
    String password = server.participant().password();
    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      flood.add(open("participant", password));
    }
    List<Socket> accepted = new ArrayList<>();
    int refused = 0;
    for (Socket s : flood) {
      String head = readUntil(s, "\r\n\r\n");
      if (statusOf(head) == 200) {
        accepted.add(s);
      } else {
        assertEquals(429, statusOf(head), head);
        assertTrue(head.contains("Retry-After: 10"), head);
        refused++;
      }
    }
    assertEquals(PushEventStream.Limits.DEFAULT.perAccount(), accepted.size());
    assertEquals(300 - accepted.size(), refused);

    String url = Urls.withCredentials(server.repositoryUrl("workshop.git"), "participant", password);
    long start = System.nanoTime();
    String refs = cli.git(tmp, "ls-remote", url).ok().out();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(refs.contains("refs/heads/main"), refs);
    assertTrue(took.compareTo(LS_REMOTE_BOUND) < 0, "git ls-remote answered in " + took.toMillis() + " ms through the flood");

    Path clone = tmp.resolve("clone");
    cli.git(tmp, "clone", "-q", url, clone.toString()).ok();
    Files.writeString(clone.resolve("flood.txt"), "still served\n");
    cli.git(clone, "add", ".").ok();
    cli.git(clone, "commit", "-q", "-m", "Pushed through a flood").ok();
    cli.git(clone, "push", "-q", "origin", "main").ok();
    String head = cli.git(clone, "rev-parse", "HEAD").ok().out().strip();
    for (Socket s : accepted) {
      String seen = readUntil(s, head);
      assertTrue(seen.endsWith("\"newId\":\"" + head), "every accepted stream sees the push: " + seen);
    }

    accepted.get(0).close();
    await("a closed stream's place is free again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> statusOf(readUntil(open("participant", password), "\r\n\r\n")) == 200);
  }

  @Test
  void eachAccountHasItsShareAndTheServerAWholeThatNoOneExceeds() throws Exception {
    start(new PushEventStream.Limits(2, 3, Duration.ofSeconds(15)));
    Account alice = server.credentials().addRoomAccount("alice");
    Account bob = server.credentials().addRoomAccount("bob");
    assertEquals(200, statusOf(readUntil(open("alice", alice.password()), "\r\n\r\n")));
    assertEquals(200, statusOf(readUntil(open("alice", alice.password()), "\r\n\r\n")));
    String third = readUntil(open("alice", alice.password()), "close one first");
    assertEquals(429, statusOf(third), third);
    assertTrue(third.contains("account alice has 2 event streams open, the most one account may have: close one first"), third);

    assertEquals(200, statusOf(readUntil(open("bob", bob.password()), "\r\n\r\n")));
    String full = readUntil(open("bob", bob.password()), "try again later");
    assertEquals(429, statusOf(full), full);
    assertTrue(full.contains("the Git server has 3 event streams open, the most it serves at once: try again later"), full);

    String wrong = readUntil(open("bob", "not-the-password"), "\r\n\r\n");
    assertEquals(401, statusOf(wrong), "a wrong password is still refused first");
  }
}
