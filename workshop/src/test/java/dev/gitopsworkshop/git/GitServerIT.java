package dev.gitopsworkshop.git;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.lab.DataDir;
import dev.gitopsworkshop.lab.LabFile;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git server in process, driven by the real git CLI and a plain HTTP client. */
class GitServerIT {
  @TempDir static Path temp;
  static GitServer server;
  static GitCli git;
  static DataDir dataDir;
  static String url;
  static Account participant;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startServer() throws IOException {
    dataDir = DataDir.at(temp.resolve("data"));
    server = GitServer.start(GitServerOptions.defaults(dataDir));
    LabFile lab = server.describeIn(LabFile.empty());
    url = lab.gitUrl();
    participant = new Account(lab.gitUsername(), lab.gitPassword());
    git = new GitCli(temp.resolve("home"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String authed(Account account, String repositoryUrl) {
    return GitCli.withCredentials(repositoryUrl, account.username(), account.password());
  }

  private static Path cloneAs(Account account, String repositoryUrl, String dir) throws Exception {
    Path target = temp.resolve(dir);
    git.run(temp, "clone", authed(account, repositoryUrl), target.toString()).assertOk();
    return target;
  }

  private static void commitFile(Path clone, String file, String content) throws Exception {
    Files.createDirectories(clone.resolve(file).getParent());
    Files.writeString(clone.resolve(file), content);
    git.run(clone, "add", file).assertOk();
    git.run(clone, "commit", "-m", "Add " + file).assertOk();
  }

  @Test
  void clonesWorkshopRepositoryWithTheParticipantCredentials() throws Exception {
    Path clone = cloneAs(participant, url, "clone-content");
    assertTrue(Files.isRegularFile(clone.resolve("examples/podinfo-dep.yaml")));
    assertTrue(Files.isDirectory(clone.resolve("deploy/kubernetes")));
    assertTrue(Files.readString(clone.resolve("README.md")).contains("deploy/kubernetes/"));
    String branch = git.run(clone, "rev-parse", "--abbrev-ref", "HEAD").assertOk().output().trim();
    assertEquals("main", branch);
  }

  @Test
  void operatorAccountCanPush() throws Exception {
    Path clone = cloneAs(server.operator(), url, "clone-operator");
    commitFile(clone, "deploy/kubernetes/operator.txt", "automation\n");
    git.run(clone, "push", "origin", "main").assertOk();
  }

  @Test
  void rejectsCloneWithoutCredentials() throws Exception {
    GitCli.Result result = git.run(temp, "clone", url, temp.resolve("anonymous").toString());
    assertNotEquals(0, result.exitCode());
    assertEquals(401, status(null, url + "/info/refs?service=git-upload-pack"));
  }

  @Test
  void rejectsCloneAndPushWithWrongPassword() throws Exception {
    Account wrong = new Account(participant.username(), participant.password() + "x");
    GitCli.Result clone = git.run(temp, "clone", authed(wrong, url), temp.resolve("wrong").toString());
    assertNotEquals(0, clone.exitCode());
    assertTrue(clone.output().contains("Authentication failed"), clone.output());

    Path good = cloneAs(participant, url, "clone-for-wrong-push");
    commitFile(good, "deploy/kubernetes/wrong.txt", "x\n");
    GitCli.Result push = git.run(good, "push", authed(wrong, url), "main");
    assertNotEquals(0, push.exitCode());
    assertEquals(401, status(wrong, url + "/info/refs?service=git-receive-pack"));
  }

  @Test
  void pushedCommitIsSeenByASecondCloneAndAnnouncedAsEvent() throws Exception {
    List<PushEvent> events = new CopyOnWriteArrayList<>();
    try (AutoCloseable subscription = server.pushEvents().subscribe(events::add)) {
      Path first = cloneAs(participant, url, "clone-first");
      commitFile(first, "deploy/kubernetes/hello.txt", "hello\n");
      git.run(first, "push", "origin", "main").assertOk();
      String pushed = git.run(first, "rev-parse", "HEAD").assertOk().output().trim();

      Path second = cloneAs(participant, url, "clone-second");
      assertEquals("hello\n", Files.readString(second.resolve("deploy/kubernetes/hello.txt")));
      await("push event for " + pushed)
          .atMost(Duration.ofSeconds(10))
          .until(() -> events.stream().anyMatch(e -> e.newId().equals(pushed)));
      PushEvent event = events.stream().filter(e -> e.newId().equals(pushed)).findFirst().orElseThrow();
      assertEquals("workshop.git", event.repository());
      assertEquals("refs/heads/main", event.ref());
    }
  }

  @Test
  void rejectsNonFastForwardPushAndDeletingMain() throws Exception {
    Path ahead = cloneAs(participant, url, "clone-ahead");
    Path behind = cloneAs(participant, url, "clone-behind");
    commitFile(ahead, "deploy/kubernetes/ahead.txt", "ahead\n");
    git.run(ahead, "push", "origin", "main").assertOk();
    String main = git.run(ahead, "rev-parse", "HEAD").assertOk().output().trim();

    commitFile(behind, "deploy/kubernetes/behind.txt", "behind\n");
    GitCli.Result force = git.run(behind, "push", "--force", "origin", "main");
    assertNotEquals(0, force.exitCode(), force.output());
    assertTrue(force.output().contains("non-fast-forward"), force.output());

    GitCli.Result delete = git.run(behind, "push", "origin", ":main");
    assertNotEquals(0, delete.exitCode(), delete.output());
    assertTrue(delete.output().contains("main cannot be deleted"), delete.output());
    String remote = git.run(behind, "ls-remote", "origin", "refs/heads/main").assertOk().output();
    assertTrue(remote.startsWith(main), remote);
  }

  @Test
  void twentyClientsCloneAndPushToTwentyBranchesAtOnce() throws Exception {
    int clients = 20;
    List<Process> clones = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      clones.add(git.start(temp, "clone", "-q", authed(participant, url), temp.resolve("many-" + i).toString()));
    }
    assertAllSucceed(clones);
    List<Process> pushes = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Path clone = temp.resolve("many-" + i);
      commitFile(clone, "deploy/kubernetes/client-" + i + ".txt", "client " + i + "\n");
      pushes.add(git.start(clone, "push", "-q", "origin", "main:refs/heads/client-" + i));
    }
    assertAllSucceed(pushes);
    String refs = git.run(temp.resolve("many-0"), "ls-remote", "--heads", "origin").assertOk().output();
    for (int i = 0; i < clients; i++) {
      assertTrue(refs.contains("refs/heads/client-" + i + "\n"), refs);
    }
    assertEquals(0, git.run(dataDir.git().resolve("workshop.git"), "fsck").exitCode());
  }

  private static void assertAllSucceed(List<Process> processes) throws Exception {
    for (Process process : processes) {
      assertTrue(process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS), "git finished");
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), output);
    }
  }

  @Test
  void answersNotFoundForDotDotPathsAndUnknownRepositories() throws Exception {
    String base = server.baseUrl();
    String query = "/info/refs?service=git-upload-pack";
    assertEquals(404, status(participant, base + "/nothing-here.git" + query));
    assertEquals(404, status(participant, base + "/x/../workshop.git" + query));
    assertEquals(404, status(participant, base + "/workshop.git/../workshop.git" + query));
    assertEquals(404, status(participant, base + "/workshop.git/%2e%2e/workshop.git" + query));
    assertEquals(404, status(participant, base + "/not a repo" .replace(" ", "%20") + query));
    assertEquals(404, status(participant, base + "/.git" + query));
    GitCli.Result clone = git.run(temp, "clone", authed(participant, base + "/nothing-here.git"), temp.resolve("nothing").toString());
    assertTrue(clone.output().contains("not found"), clone.output());
    assertEquals(200, status(participant, url + query));
  }

  @Test
  void answersBadRequestToAGarbagePackExchange() throws Exception {
    for (String service : List.of("git-upload-pack", "git-receive-pack")) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + "/" + service))
              .header("Authorization", basic(participant))
              .header("Content-Type", "application/x-" + service + "-request")
              .POST(HttpRequest.BodyPublishers.ofString("this is not the git protocol"))
              .build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(400, response.statusCode(), service + ": " + response.body());
    }
    assertEquals(200, status(participant, url + "/info/refs?service=git-upload-pack"));
  }

  @Test
  void streamsPushEventsToOtherProcessesAsServerSentEvents() throws Exception {
    assertEquals(401, status(null, server.eventsUrl()));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.eventsUrl()))
            .header("Authorization", basic(server.operator()))
            .build();
    HttpResponse<java.util.stream.Stream<String>> response =
        HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                response.body().forEach(lines::add);
              } catch (RuntimeException closed) {
                // the test closed the stream
              }
            });
    reader.setDaemon(true);
    reader.start();
    await("stream open").atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));

    Path clone = cloneAs(participant, url, "clone-sse");
    commitFile(clone, "deploy/kubernetes/sse.txt", "sse\n");
    git.run(clone, "push", "origin", "main").assertOk();
    String pushed = git.run(clone, "rev-parse", "HEAD").assertOk().output().trim();
    await("event for " + pushed + " on the stream")
        .atMost(Duration.ofSeconds(10))
        .until(() -> lines.stream().anyMatch(l -> l.startsWith("data: {") && l.contains("\"newId\":\"" + pushed + "\"")
            && l.contains("\"repository\":\"workshop.git\"") && l.contains("\"ref\":\"refs/heads/main\"")));
    response.body().close();
  }

  @Test
  void roomAccountReadsAndPushesOnlyItsOwnRepository() throws Exception {
    List<Room.Seat> seats = Room.of(dataDir).add(List.of("alice", "bob"), dev.gitopsworkshop.lab.ProjectContent.locate(), null);
    Account alice = new Account("alice", seats.get(0).password());
    Account bob = new Account("bob", seats.get(1).password());
    String aliceUrl = server.repositoryUrl("alice.git");
    String bobUrl = server.repositoryUrl("bob.git");
    assertEquals(aliceUrl, seats.get(0).url());

    Path own = cloneAs(alice, aliceUrl, "alice-own");
    assertTrue(Files.isRegularFile(own.resolve("examples/podinfo-dep.yaml")));
    commitFile(own, "deploy/kubernetes/alice.txt", "alice\n");
    git.run(own, "push", "origin", "main").assertOk();

    GitCli.Result other = git.run(temp, "clone", authed(alice, bobUrl), temp.resolve("alice-bob").toString());
    assertNotEquals(0, other.exitCode(), other.output());
    assertEquals(404, status(alice, bobUrl + "/info/refs?service=git-upload-pack"));
    assertEquals(404, status(alice, bobUrl + "/info/refs?service=git-receive-pack"));
    GitCli.Result push = git.run(own, "push", authed(alice, bobUrl), "main");
    assertNotEquals(0, push.exitCode(), push.output());
    assertEquals(404, status(alice, url + "/info/refs?service=git-upload-pack"));
    assertEquals(404, status(participant, aliceUrl + "/info/refs?service=git-upload-pack"));
    assertEquals(200, status(bob, bobUrl + "/info/refs?service=git-upload-pack"));
  }

  static int status(Account account, String target) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target));
    if (account != null) {
      request.header("Authorization", basic(account));
    }
    HttpResponse<Void> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() == 401) {
      assertEquals(
          "Basic realm=\"gitops-workshop\"",
          response.headers().firstValue("WWW-Authenticate").orElse(""));
    }
    return response.statusCode();
  }

  static String basic(Account account) {
    String pair = account.username() + ":" + account.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
