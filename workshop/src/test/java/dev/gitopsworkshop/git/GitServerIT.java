package dev.gitopsworkshop.git;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git server against the real git CLI. */
class GitServerIT {
  @TempDir Path tmp;
  private GitServer server;
  private Cli cli;
  private String url;

  @BeforeEach
  void start() throws IOException {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    server = startServer(GitServer.DEFAULT_MAX_PUSH_BYTES);
    url = server.repositoryUrl("workshop.git");
  }

  private GitServer startServer(long maxPush) {
    return GitServer.start(
        new GitServer.Options(
            DataDir.at(tmp.resolve("data")), "127.0.0.1", null, maxPush, ProjectContent.at(Cli.projectRoot()), null));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String participantUrl() {
    return Urls.withCredentials(url, server.participant().username(), server.participant().password());
  }

  private Path cloneAsParticipant(String dir) {
    cli.git(tmp, "clone", "-q", participantUrl(), dir).ok();
    return tmp.resolve(dir);
  }

  private void commitFile(Path repo, String name, String content, String message) throws IOException {
    Files.writeString(repo.resolve(name), content);
    cli.git(repo, "add", name).ok();
    cli.git(repo, "commit", "-q", "-m", message).ok();
  }

  @Test
  void clonesTheSeededWorkshopRepositoryWithTheLabCredentials() {
    Path clone = cloneAsParticipant("clone");
    assertTrue(Files.isRegularFile(clone.resolve("examples/podinfo-dep.yaml")));
    assertTrue(Files.isDirectory(clone.resolve("deploy/kubernetes")));
    assertTrue(Files.isRegularFile(clone.resolve("README.md")));
    assertEquals("main", cli.git(clone, "rev-parse", "--abbrev-ref", "HEAD").ok().out().strip());
  }

  @Test
  void rejectsCloneWithoutCredentials() throws Exception {
    Cli.Result r = cli.git(tmp, "clone", "-q", url, "anon");
    assertNotEquals(0, r.exitCode());
    assertEquals(401, status(url + "/info/refs?service=git-upload-pack", null));
  }

  @Test
  void rejectsCloneAndPushWithAWrongPassword() throws Exception {
    String wrong = Urls.withCredentials(url, "participant", "not-the-password");
    Cli.Result clone = cli.git(tmp, "clone", "-q", wrong, "wrong");
    assertNotEquals(0, clone.exitCode());
    assertTrue(clone.err().contains("Authentication failed"), clone.err());

    Path repo = cloneAsParticipant("good");
    commitFile(repo, "x.txt", "x", "x");
    Cli.Result push = cli.git(repo, "push", "-q", wrong, "main");
    assertNotEquals(0, push.exitCode());
    assertEquals(401, status(url + "/info/refs?service=git-receive-pack", "participant:not-the-password"));
  }

  @Test
  void pushedCommitIsSeenByASecondClone() throws Exception {
    Path first = cloneAsParticipant("first");
    Files.copy(first.resolve("examples/podinfo-dep.yaml"), first.resolve("deploy/kubernetes/podinfo-dep.yaml"));
    cli.git(first, "add", ".").ok();
    cli.git(first, "commit", "-q", "-m", "Add podinfo").ok();
    cli.git(first, "push", "-q", "origin", "main").ok();
    Path second = cloneAsParticipant("second");
    assertTrue(Files.exists(second.resolve("deploy/kubernetes/podinfo-dep.yaml")));
    assertEquals("Add podinfo", cli.git(second, "log", "-1", "--format=%s").ok().out().strip());
  }

  @Test
  void rejectsANonFastForwardPush() throws Exception {
    Path a = cloneAsParticipant("a");
    Path b = cloneAsParticipant("b");
    commitFile(a, "a.txt", "a", "from a");
    cli.git(a, "push", "-q", "origin", "main").ok();
    commitFile(b, "b.txt", "b", "from b");
    Cli.Result forced = cli.git(b, "push", "--force", "origin", "main");
    assertNotEquals(0, forced.exitCode(), forced.toString());
    assertTrue(forced.err().contains("non-fast-forward") || forced.err().contains("rejected"), forced.err());
    Path check = cloneAsParticipant("check");
    assertEquals("from a", cli.git(check, "log", "-1", "--format=%s").ok().out().strip());
  }

  @Test
  void refusesToDeleteMain() {
    Path a = cloneAsParticipant("a");
    Cli.Result r = cli.git(a, "push", "origin", ":main");
    assertNotEquals(0, r.exitCode(), r.toString());
    assertTrue(Files.exists(cloneAsParticipant("after").resolve("README.md")));
  }

  @Test
  void twentyClientsCloneAndPushToTwentyBranchesAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Cli.Result>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  Path repo = tmp.resolve("c" + n);
                  cli.git(tmp, "clone", "-q", participantUrl(), "c" + n).ok();
                  commitFile(repo, "client-" + n + ".txt", "client " + n, "client " + n);
                  return cli.git(repo, "push", "-q", "origin", "HEAD:refs/heads/client-" + n);
                }));
      }
      for (Future<Cli.Result> r : results) {
        r.get().ok();
      }
    } finally {
      pool.shutdownNow();
    }
    String remote = cli.git(tmp, "ls-remote", participantUrl()).ok().out();
    for (int i = 0; i < 20; i++) {
      assertTrue(remote.contains("refs/heads/client-" + i), remote);
    }
  }

  @Test
  void unknownRepositoriesAndPathsWithDotDotAreNotFound() throws Exception {
    String auth = "participant:" + server.participant().password();
    String base = server.baseUrl();
    assertEquals(404, status(base + "nope.git/info/refs?service=git-upload-pack", auth));
    assertEquals(404, status(base + "x/../workshop.git/info/refs?service=git-upload-pack", auth));
    assertEquals(404, status(base + "not-a-repo/info/refs?service=git-upload-pack", auth));
    assertTrue(Files.isRegularFile(cloneAsParticipant("still").resolve("README.md")));
  }

  @Test
  void aPackExchangeThatIsNotTheGitProtocolIsABadRequest() throws Exception {
    String auth = "participant:" + server.participant().password();
    for (String service : List.of("git-upload-pack", "git-receive-pack")) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + "/" + service))
              .header("Authorization", basic(auth))
              .header("Content-Type", "application/x-" + service + "-request")
              .POST(HttpRequest.BodyPublishers.ofString("this is not the git protocol"))
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(400, response.statusCode(), service + ": " + response.body());
    }
    assertTrue(Files.isRegularFile(cloneAsParticipant("after-garbage").resolve("README.md")));
  }

  @Test
  void aRoomAccountUsesOnlyItsOwnRepository() throws Exception {
    Room room = Room.of(DataDir.at(tmp.resolve("data")));
    List<Account> added = room.add(List.of("alice", "bob"), ProjectContent.at(Cli.projectRoot()), server.baseUrl());
    Account alice = added.get(0);
    String aliceUrl = Urls.withCredentials(server.repositoryUrl("alice.git"), "alice", alice.password());
    cli.git(tmp, "clone", "-q", aliceUrl, "alice").ok();
    commitFile(tmp.resolve("alice"), "mine.txt", "alice", "alice's change");
    cli.git(tmp.resolve("alice"), "push", "-q", "origin", "main").ok();

    String aliceOnBob = Urls.withCredentials(server.repositoryUrl("bob.git"), "alice", alice.password());
    assertNotEquals(0, cli.git(tmp, "clone", "-q", aliceOnBob, "steal").exitCode());
    String aliceOnWorkshop = Urls.withCredentials(url, "alice", alice.password());
    assertNotEquals(0, cli.git(tmp, "clone", "-q", aliceOnWorkshop, "steal2").exitCode());
    assertEquals(404, status(server.repositoryUrl("bob.git") + "/info/refs?service=git-upload-pack", "alice:" + alice.password()));
  }

  @Test
  void aPushOverTheLimitIsRefusedNamingTheLimit() throws Exception {
    server.close();
    server = startServer(256 * 1024);
    Path repo = cloneAsParticipant("big");
    byte[] noise = new byte[1024 * 1024];
    new Random(1).nextBytes(noise);
    Files.write(repo.resolve("big.bin"), noise);
    cli.git(repo, "add", "big.bin").ok();
    cli.git(repo, "commit", "-q", "-m", "big").ok();
    Cli.Result r = cli.git(repo, "push", "origin", "main");
    assertNotEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().toLowerCase().contains("limit") || r.err().toLowerCase().contains("exceeds"), r.err());
    assertEquals(0, cli.git(tmp.resolve("data/git/workshop.git"), "fsck", "--no-progress").exitCode());
    assertEquals("Start the workshop", cli.git(cloneAsParticipant("after"), "log", "-1", "--format=%s").ok().out().strip());
  }

  @Test
  void aClientKilledInTheMiddleOfAPushLeavesTheRepositoryConsistent() throws Exception {
    Path repo = cloneAsParticipant("killed");
    byte[] noise = new byte[8 * 1024 * 1024];
    new Random(2).nextBytes(noise);
    Files.write(repo.resolve("large.bin"), noise);
    cli.git(repo, "add", "large.bin").ok();
    cli.git(repo, "commit", "-q", "-m", "large").ok();
    Path bare = tmp.resolve("data/git/workshop.git");
    Background push = cli.start(repo, Map.of(), "git", "push", "origin", "main");
    await("the server receiving the pack, or the push over")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> !push.isAlive() || receiving(bare));
    // git hands the upload to git-remote-http: kill that too, or the push goes on without us
    push.kill();
    await("the server done with the interrupted push")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !receiving(bare) && !Files.exists(bare.resolve("refs/heads/main.lock")));
    assertEquals(0, cli.git(bare, "fsck", "--no-progress").exitCode());
    Path after = cloneAsParticipant("after-kill");
    commitFile(after, "next.txt", "next", "next");
    cli.git(after, "pull", "-q", "--rebase", "origin", "main").ok();
    cli.git(after, "push", "-q", "origin", "main").ok();
    assertEquals(0, cli.git(bare, "fsck", "--no-progress").exitCode());
  }

  /** JGit receives a pack into objects/incoming_*.pack (and moves it into objects/pack/ once whole). */
  private static boolean receiving(Path bare) throws IOException {
    try (java.util.stream.Stream<Path> packs = Files.list(bare.resolve("objects"))) {
      return packs.anyMatch(f -> f.getFileName().toString().startsWith("incoming_"));
    }
  }

  @Test
  void publishesPushEventsInProcessAndAsServerSentEvents() throws Exception {
    List<PushEvent> seen = new CopyOnWriteArrayList<>();
    server.pushEvents().subscribe(seen::add);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest sse =
        HttpRequest.newBuilder(URI.create(server.eventsUrl()))
            .header("Authorization", basic("participant:" + server.participant().password()))
            .build();
    List<String> lines = new CopyOnWriteArrayList<>();
    http.sendAsync(sse, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> r.body().forEach(lines::add));
    await("event stream connected").atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));

    Path repo = cloneAsParticipant("events");
    commitFile(repo, "e.txt", "e", "event");
    cli.git(repo, "push", "-q", "origin", "main").ok();
    String head = cli.git(repo, "rev-parse", "HEAD").ok().out().strip();

    await("in-process push event").atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
    PushEvent e = seen.get(0);
    assertEquals("workshop.git", e.repository());
    assertEquals("refs/heads/main", e.ref());
    assertEquals(head, e.newId());
    assertEquals("participant", e.pusher());
    await("server-sent push event")
        .atMost(Duration.ofSeconds(10))
        .until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ") && l.contains(head)));
  }

  @Test
  void packsLeftByPushesAreCollectedAsAGitServerDoesAfterAPush() throws Exception {
    Path bare = tmp.resolve("data/git/workshop.git");
    Path repo = cloneAsParticipant("many");
    List<String> heads = new ArrayList<>();
    // one pack per push; JGit's own collection kept every pack younger than an hour, so they piled up
    for (int i = 0; i < AutoGc.PACK_LIMIT + 2; i++) {
      commitFile(repo, "n.txt", "push " + i, "push " + i);
      cli.git(repo, "push", "-q", "origin", "main").ok();
      heads.add(cli.git(repo, "rev-parse", "HEAD").ok().out().strip());
    }
    await("packs collected").atMost(Duration.ofSeconds(30)).until(() -> packs(bare) <= 3);

    cli.git(bare, "fsck", "--strict").ok();
    assertEquals("0", cli.git(bare, "config", "gc.autoPackLimit").ok().out().strip(), "JGit's own collection is off");
    Path fresh = cloneAsParticipant("after-gc");
    assertEquals(heads.get(heads.size() - 1), cli.git(fresh, "rev-parse", "HEAD").ok().out().strip());
    assertEquals(String.valueOf(heads.size()), cli.git(fresh, "rev-list", "--count", heads.get(0) + "~1..HEAD").ok().out().strip());
  }

  private static long packs(Path bare) throws IOException {
    try (var files = Files.list(bare.resolve("objects/pack"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pack")).count();
    }
  }

  private static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  private static int status(String url, String userPass) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (userPass != null) {
      b.header("Authorization", basic(userPass));
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
