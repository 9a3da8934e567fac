package dev.gitopsworkshop.cluster.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl logs} against the embedded cluster: what simulated and in-process containers wrote, with kubectl's options. */
class PodLogsIT {
  private static final String CONTROLLER_IMAGE = "example.com/logging-controller:1.0";
  @TempDir static Path tmp;
  static LocalCluster lab;

  @BeforeAll
  static void start() throws Exception {
    lab = new LocalCluster(tmp);
    lab.cluster.images(image -> !image.endsWith(":9.9.9"));
    lab.cluster.register(new ContainerRuntime() {
      @Override
      public boolean runs(String image) {
        return image.equals(CONTROLLER_IMAGE);
      }

      @Override
      public AutoCloseable start(ContainerContext context) {
        context.log().write("{\"level\":\"info\",\"msg\":\"starting manager\",\"pod\":\"" + context.podName() + "\"}");
        return () -> { };
      }
    });
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  private static final String PODINFO = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: podinfo}
      spec:
        selector: {matchLabels: {app: podinfo}}
        template:
          metadata: {labels: {app: podinfo}}
          spec:
            containers:
            - name: podinfo
              image: ghcr.io/stefanprodan/podinfo:6.5.0
              command: [./podinfo, --port=9898]
            - name: sidecar
              image: busybox:1.36
              command: [sh, -c, "echo sidecar up; sleep infinity"]
      """;

  @Test
  void showsPodinfosStartLinesWithTailTimestampsSinceAndLimit() throws Exception {
    String ns = lab.namespace();
    lab.apply(ns, PODINFO);
    lab.kubectl("-n", ns, "rollout", "status", "deploy/podinfo", "--timeout=60s").ok();
    Cli.Result all = lab.kubectl("-n", ns, "logs", "deploy/podinfo").ok();
    assertTrue(all.err().contains("Defaulted container \"podinfo\" out of: podinfo, sidecar"), all.toString());
    List<String> lines = all.out().lines().toList();
    assertEquals(2, lines.size(), all.out());
    assertTrue(lines.get(0).contains("\"msg\":\"Starting podinfo\",\"version\":\"6.5.0\""), lines.get(0));
    assertTrue(lines.get(1).contains("Starting HTTP Server."), lines.get(1));
    assertEquals(List.of(lines.get(1)), lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "podinfo", "--tail=1").ok().out().lines().toList());
    String stamped = lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "podinfo", "--timestamps").ok().out();
    assertTrue(stamped.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z \\{.*")), stamped);
    assertEquals(2, lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "podinfo", "--since=1h").ok().out().lines().count());
    assertEquals("", lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "podinfo", "--since-time=2100-01-01T00:00:00Z").ok().out());
    assertEquals("{\"level\":", lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "podinfo", "--limit-bytes=9").ok().out());
    assertEquals("sidecar up\n", lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "sidecar").ok().out());
    Cli.Result wrong = lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "nope");
    assertNotEquals(0, wrong.exitCode());
    assertTrue(wrong.err().matches("(?s).*container nope is not valid for pod podinfo-\\w+-\\w+.*"), wrong.toString());
    Cli.Result previous = lab.kubectl("-n", ns, "logs", "deploy/podinfo", "-c", "podinfo", "--previous");
    assertTrue(previous.err().matches("(?s).*previous terminated container \"podinfo\" in pod \"podinfo-\\S+\" not found.*"), previous.toString());
  }

  @Test
  void followStreamsUntilTheContainerEnds() throws Exception {
    String ns = lab.namespace();
    lab.kubectl("-n", ns, "run", "once", "--image=busybox:1.36", "--restart=Never", "--", "sh", "-c", "echo one; echo two; sleep 3").ok();
    await("once running").atMost(Duration.ofSeconds(30)).until(() ->
        lab.kubectl("-n", ns, "get", "pod", "once", "-o", "jsonpath={.status.phase}").out().equals("Running"));
    long started = System.nanoTime();
    try (Background follow = lab.startKubectl("-n", ns, "logs", "-f", "once")) {
      follow.awaitLine("the output so far", l -> l.equals("two"), Duration.ofSeconds(20));
      Cli.Result r = follow.waitFor(Duration.ofSeconds(30));
      assertEquals(0, r.exitCode(), r.toString());
      assertEquals("one\ntwo\n", r.out());
    }
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() > 500, "followed until the container ended");
    assertEquals("Succeeded", lab.kubectl("-n", ns, "get", "pod", "once", "-o", "jsonpath={.status.phase}").ok().out());
    assertEquals("one\ntwo\n", lab.kubectl("-n", ns, "logs", "once").ok().out(), "a completed container's output stays readable");
  }

  @Test
  void previousShowsTheRunBeforeARestart() throws Exception {
    String ns = lab.namespace();
    lab.kubectl("-n", ns, "run", "flaky", "--image=busybox:1.36", "--restart=OnFailure", "--", "sh", "-c", "echo failing; exit 2").ok();
    await("flaky restarted").atMost(Duration.ofSeconds(40)).until(() ->
        lab.kubectl("-n", ns, "get", "pod", "flaky", "-o", "jsonpath={.status.containerStatuses[0].restartCount}").out().equals("1"));
    await("flaky running again").atMost(Duration.ofSeconds(40)).until(() ->
        lab.kubectl("-n", ns, "get", "pod", "flaky", "-o", "jsonpath={.status.containerStatuses[0].state.running}").out().length() > 2
            || lab.kubectl("-n", ns, "get", "pod", "flaky", "-o", "jsonpath={.status.containerStatuses[0].restartCount}").out().equals("2"));
    assertEquals("failing\n", lab.kubectl("-n", ns, "logs", "flaky", "--previous").ok().out());
    String pods = lab.kubectl("-n", ns, "get", "pods").ok().out();
    assertTrue(pods.matches("(?s).*flaky\\s+\\d/1\\s+\\S+\\s+[12] \\(\\d+s ago\\).*"), pods);
  }

  @Test
  void aContainerWaitingForItsImageHasNoLogsYet() throws Exception {
    String ns = lab.namespace();
    lab.kubectl("-n", ns, "run", "missing", "--image=ghcr.io/stefanprodan/podinfo:9.9.9").ok();
    await("pull failed").atMost(Duration.ofSeconds(30)).until(() ->
        lab.kubectl("-n", ns, "get", "pod", "missing", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}").out()
            .matches("ErrImagePull|ImagePullBackOff"));
    Cli.Result r = lab.kubectl("-n", ns, "logs", "missing");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.err().matches("(?s).*container \"missing\" in pod \"missing\" is waiting to start: (image can't be pulled|trying and failing to pull image).*"),
        r.toString());
  }

  @Test
  void anInProcessControllerWritesItsOwnLines() throws Exception {
    String ns = lab.namespace();
    lab.kubectl("-n", ns, "run", "controller", "--image=" + CONTROLLER_IMAGE).ok();
    await("controller logged").atMost(Duration.ofSeconds(30)).until(() ->
        lab.kubectl("-n", ns, "logs", "controller").out().contains("starting manager"));
    assertEquals("{\"level\":\"info\",\"msg\":\"starting manager\",\"pod\":\"controller\"}\n", lab.kubectl("-n", ns, "logs", "controller").ok().out());
  }
}
