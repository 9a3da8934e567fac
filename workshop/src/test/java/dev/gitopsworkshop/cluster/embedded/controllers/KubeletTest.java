package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ContainerContext;
import dev.gitopsworkshop.cluster.embedded.ContainerRuntime;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeletTest {
  private static final String FLUX = "ghcr.io/fluxcd/source-controller:v1.6.0";
  private final Sim sim = new Sim();

  @AfterEach
  void stop() {
    sim.close();
  }

  private ObjectNode pod(String name, String image) {
    return sim.create(sim.pods(), Sim.yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default, labels: {app: %1$s}}
        spec: {containers: [{name: main, image: "%s"}]}
        """.formatted(name, image)));
  }

  private ObjectNode pod(String name) {
    return sim.get(sim.pods(), "default", name);
  }

  private static JsonNode container(ObjectNode pod) {
    return pod.at("/status/containerStatuses/0");
  }

  private void awaitRunning(String name) {
    await(name + " running and ready").atMost(Duration.ofSeconds(20)).until(() ->
        "Running".equals(pod(name).at("/status/phase").asText()) && Sim.condition(pod(name), "Ready", "True"));
  }

  @Test
  void schedulesShowsContainerCreatingThenRunsReady() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    ResourceStore.Subscription sub = sim.store.watch(sim.pods(), "default", null, 0);
    pod("web", "nginx:1.27");
    awaitRunning("web");
    for (WatchEvent e; (e = sub.poll(10, TimeUnit.MILLISECONDS)) != null; ) {
      seen.add(e.object().at("/status/phase").asText() + "/" + container(e.object()).at("/state/waiting/reason").asText());
    }
    sub.close();
    assertTrue(seen.contains("Pending/ContainerCreating"), seen.toString());
    ObjectNode p = pod("web");
    assertEquals(Kubelet.NODE, p.at("/spec/nodeName").asText());
    for (String c : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
      assertTrue(Sim.condition(p, c, "True"), c);
    }
    assertTrue(p.at("/status/podIP").asText().startsWith("10.42."));
    assertEquals("10.0.0.10", p.at("/status/hostIP").asText());
    assertEquals("BestEffort", p.at("/status/qosClass").asText());
    assertFalse(p.at("/status/startTime").asText().isEmpty());
    JsonNode c = container(p);
    assertTrue(c.path("ready").asBoolean() && c.path("started").asBoolean());
    assertFalse(c.at("/state/running/startedAt").asText().isEmpty());
    for (String reason : List.of("Scheduled", "Pulling", "Pulled", "Created", "Started")) {
      assertFalse(sim.events(reason).isEmpty(), "event " + reason);
    }
    assertEquals("Successfully assigned default/web to workshop", sim.events("Scheduled").get(0).path("message").asText());
  }

  @Test
  void runsAPodCreatedAlreadyBoundToTheNode() {
    ObjectNode p = Sim.yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: bound, namespace: default}
        spec: {nodeName: workshop, containers: [{name: main, image: "nginx:1.27"}]}
        """);
    sim.create(sim.pods(), p);
    awaitRunning("bound");
    assertTrue(container(pod("bound")).path("ready").asBoolean());
    assertEquals("main", container(pod("bound")).path("name").asText());
  }

  @Test
  void givesEveryPodItsOwnAddress() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      names.add("p" + i);
      pod("p" + i, "nginx:1.27");
    }
    await("300 pods running").atMost(Duration.ofSeconds(30)).until(() ->
        sim.list(sim.pods(), "default", p -> Sim.condition(p, "Ready", "True")).size() == names.size());
    long distinct = sim.list(sim.pods(), "default", null).stream().map(p -> p.at("/status/podIP").asText()).distinct().count();
    assertEquals(300, distinct);
  }

  @Test
  void startsARegisteredRuntimeOffTheControllerThreadAndClosesItWithThePod() {
    CountDownLatch release = new CountDownLatch(1);
    List<ContainerContext> started = new CopyOnWriteArrayList<>();
    AtomicInteger closed = new AtomicInteger();
    sim.runtimes.register(new ContainerRuntime() {
      @Override
      public boolean runs(String image) {
        return image.startsWith("ghcr.io/fluxcd/");
      }

      @Override
      public AutoCloseable start(ContainerContext context) throws Exception {
        started.add(context);
        release.await(20, TimeUnit.SECONDS);
        return closed::incrementAndGet;
      }
    });
    pod("source-controller", FLUX);
    await("runtime asked to start").atMost(Duration.ofSeconds(20)).until(() -> started.size() == 1);
    pod("web", "nginx:1.27");
    awaitRunning("web");
    assertFalse(Sim.condition(pod("source-controller"), "Ready", "True"), "not ready before start() returned");
    release.countDown();
    awaitRunning("source-controller");
    ContainerContext ctx = started.get(0);
    assertEquals("default", ctx.namespace());
    assertEquals("source-controller", ctx.podName());
    assertEquals("main", ctx.containerName());
    assertEquals(FLUX, ctx.image());
    assertEquals("token", ctx.token());
    sim.store.delete(sim.pods(), "default", "source-controller", null, false);
    await("runtime closed with its pod").atMost(Duration.ofSeconds(20)).until(() -> closed.get() == 1);
    assertFalse(sim.events("Killing").isEmpty());
  }

  @Test
  void aRuntimeThatFailsToStartShowsCrashLoopBackOffAndIsRetried() {
    AtomicInteger attempts = new AtomicInteger();
    sim.runtimes.register(new ContainerRuntime() {
      @Override
      public boolean runs(String image) {
        return image.equals(FLUX);
      }

      @Override
      public AutoCloseable start(ContainerContext context) {
        if (attempts.incrementAndGet() == 1) {
          throw new IllegalStateException("cannot reach the API server");
        }
        return () -> { };
      }
    });
    List<String> reasons = new CopyOnWriteArrayList<>();
    ResourceStore.Subscription sub = sim.store.watch(sim.pods(), "default", null, 0);
    pod("source-controller", FLUX);
    awaitRunning("source-controller");
    try {
      for (WatchEvent e; (e = sub.poll(10, TimeUnit.MILLISECONDS)) != null; ) {
        JsonNode waiting = container(e.object()).at("/state/waiting");
        if (waiting.path("reason").asText().equals("CrashLoopBackOff")) {
          reasons.add(waiting.path("message").asText());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sub.close();
    assertFalse(reasons.isEmpty(), "CrashLoopBackOff shown");
    assertTrue(reasons.get(0).contains("cannot reach the API server"), reasons.get(0));
    assertEquals(2, attempts.get());
    assertEquals(1, container(pod("source-controller")).path("restartCount").asInt());
    assertEquals("Error", container(pod("source-controller")).at("/lastState/terminated/reason").asText());
    assertEquals("Warning", sim.events("BackOff").get(0).path("type").asText());
  }

  @Test
  void anImageTheRegistryDoesNotHaveShowsErrImagePullThenImagePullBackOffAndNeverRuns() {
    sim.runtimes.images(image -> !image.endsWith(":9.9.9"));
    pod("podinfo", "ghcr.io/stefanprodan/podinfo:9.9.9");
    await("ErrImagePull shown").atMost(Duration.ofSeconds(20)).until(() ->
        "ErrImagePull".equals(container(pod("podinfo")).at("/state/waiting/reason").asText()));
    await("then ImagePullBackOff").atMost(Duration.ofSeconds(20)).until(() ->
        "ImagePullBackOff".equals(container(pod("podinfo")).at("/state/waiting/reason").asText()));
    ObjectNode p = pod("podinfo");
    assertNotEquals("Running", p.at("/status/phase").asText());
    assertFalse(Sim.condition(p, "Ready", "True"));
    assertFalse(container(p).path("ready").asBoolean());
    assertEquals("Warning", sim.events("Failed").get(0).path("type").asText());
    sim.runtimes.images(image -> true);
    awaitRunning("podinfo");
  }
}
