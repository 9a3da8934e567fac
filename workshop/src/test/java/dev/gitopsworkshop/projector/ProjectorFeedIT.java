package dev.gitopsworkshop.projector;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.support.RunningLab;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector's feed as any client sees it over plain HTTP: {@code /projector/state} as JSON,
 * {@code /projector/events} as server-sent events that carry each new state by themselves.
 */
class ProjectorFeedIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path tmp;

  /** The newest state the stream has carried, read on a thread of its own. */
  private Thread follow(String url, AtomicReference<JsonNode> latest, InputStream[] opened) throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
    opened[0] = r.body();
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String event = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ") && "state".equals(event)) {
            latest.set(JSON.readTree(line.substring(6)));
          }
        }
      } catch (Exception e) {
        // the stream was closed by the test
      }
    }, "sse-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void aPushShowsUpAsANewCommitAndADeleteAsAnEventOnTheStream() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      String projector = lab.lab().get("console", "projector");
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(projector)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("new EventSource(\"/projector/events\")"), "the page follows the stream");
      assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "the page loads nothing from the internet");
      HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create(projector + "/nothing")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, elsewhere.statusCode());
      assertTrue(elsewhere.body().contains("/projector/events"), "says what is served: " + elsewhere.body());
      String status = lab.cli().run(tmp, lab.cli().workshop("status", "--data-dir", lab.dataDir().toString())).ok().out();
      assertTrue(status.contains("projector " + projector), status);

      JsonNode first = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(projector + "/state")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertEquals("Start the workshop", first.at("/git/commits/0/message").asText(), first.toString());
      assertFalse(first.path("operatorInstalled").asBoolean());

      AtomicReference<JsonNode> latest = new AtomicReference<>();
      InputStream[] stream = new InputStream[1];
      follow(projector + "/events", latest, stream);
      await("the first state on the stream").atMost(Duration.ofSeconds(20)).until(() -> latest.get() != null);

      Path work = lab.cloneWorkshop(tmp.resolve("work"));
      Files.writeString(work.resolve("deploy/kubernetes/hello.txt"), "hello\n");
      lab.cli().git(work, "add", "-A").ok();
      lab.cli().git(work, "commit", "-qm", "Say hello to the room").ok();
      String sha = lab.cli().git(work, "rev-parse", "HEAD").ok().out().strip();
      lab.cli().git(work, "push", "-q", "origin", "main").ok();
      await("the pushed commit on the stream").atMost(Duration.ofSeconds(20))
          .until(() -> sha.equals(latest.get().at("/git/commits/0/sha").asText()));
      JsonNode afterPush = latest.get();
      assertEquals("Say hello to the room", afterPush.at("/git/commits/0/message").asText());
      assertEquals("Participant", afterPush.at("/git/commits/0/author").asText());
      assertEquals(sha, afterPush.at("/git/head").asText());
      assertTrue(afterPush.path("timeline").toString().contains("push to main: " + sha.substring(0, 7) + " Say hello to the room"),
          afterPush.path("timeline").toString());

      lab.installOperator(work);
      Path manifest = tmp.resolve("probe.yaml");
      Files.writeString(manifest, """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: probe, namespace: default}
          spec:
            replicas: 2
            selector: {matchLabels: {app: probe}}
            template:
              metadata: {labels: {app: probe}}
              spec: {containers: [{name: probe, image: "ghcr.io/stefanprodan/podinfo:6.5.0"}]}
          """);
      lab.kubectl("apply", "-f", manifest.toString()).ok();
      await("probe's two pods on the stream, ready").atMost(Duration.ofSeconds(30)).until(() -> pods(latest.get(), "default/probe", "ready") == 2);
      assertTrue(latest.get().path("operatorInstalled").asBoolean(), "Flux installed, seen through the API");

      lab.kubectl("delete", "deployment", "probe").ok();
      await("the delete on the stream").atMost(Duration.ofSeconds(30))
          .until(() -> latest.get().path("timeline").toString().contains("Deployment default/probe deleted"));
      await("probe gone from the workloads").atMost(Duration.ofSeconds(30)).until(() -> pods(latest.get(), "default/probe", null) < 0);

      Path broken = tmp.resolve("broken.yaml");
      Files.writeString(broken, Files.readString(manifest).replace("probe", "broken").replace("replicas: 2", "replicas: 1")
          .replace("podinfo:6.5.0", "podinfo:0.0.1"));
      lab.kubectl("apply", "-f", broken.toString()).ok();
      await("a pod whose image does not exist shown failed").atMost(Duration.ofSeconds(30))
          .until(() -> pods(latest.get(), "default/broken", "failed") == 1);
      assertTrue(latest.get().path("timeline").toString().matches(".*pod default/broken-[a-z0-9-]+ failed \\((ErrImagePull|ImagePullBackOff)\\).*"),
          latest.get().path("timeline").toString());
      stream[0].close();
    }
  }

  /** How many of a workload's pods are in a state (null: any); -1 when the workload is not shown. */
  private static int pods(JsonNode state, String workload, String podState) {
    for (JsonNode w : state.path("workloads")) {
      if (workload.equals(w.path("namespace").asText() + "/" + w.path("name").asText())) {
        int n = 0;
        for (JsonNode p : w.path("pods")) {
          n += podState == null || podState.equals(p.path("state").asText()) ? 1 : 0;
        }
        return n;
      }
    }
    return -1;
  }
}
