package dev.gitopsworkshop.cluster.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming subresources with the real kubectl: port-forward to the podinfo stand-in over
 * WebSocket (kubectl 1.33) and SPDY (an older kubectl), refused ports and images, a client that
 * drops mid-stream, and exec, attach, cp, run -it and debug answered plainly.
 */
class PodStreamsIT {
  private static final String OLD_KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.30";
  @TempDir static Path tmp;
  static LocalCluster lab;
  static String ns;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    lab = new LocalCluster(tmp);
    ns = lab.namespace();
    lab.apply(ns, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: podinfo}
        spec:
          replicas: 2
          selector: {matchLabels: {app: podinfo}}
          template:
            metadata: {labels: {app: podinfo}}
            spec:
              containers:
              - name: podinfo
                image: ghcr.io/stefanprodan/podinfo:6.5.0
                command: [./podinfo, --port=9898]
                env: [{name: PODINFO_UI_MESSAGE, value: hello from the workshop}, {name: PODINFO_UI_COLOR, value: "#ff0000"}]
                ports: [{name: http, containerPort: 9898}]
                readinessProbe: {httpGet: {path: /readyz, port: http}, initialDelaySeconds: 1, periodSeconds: 2}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: podinfo}
        spec:
          selector: {app: podinfo}
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: nginx}
        spec: {containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]}
        """);
    lab.kubectl("-n", ns, "rollout", "status", "deploy/podinfo", "--timeout=60s").ok();
    lab.kubectl("-n", ns, "wait", "--for=condition=ready", "pod/nginx", "--timeout=60s").ok();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private static Background forward(String kubectl, String target, int local, int remote) throws Exception {
    Background pf = kubectl == null ? lab.startKubectl("-n", ns, "port-forward", target, local + ":" + remote)
        : lab.startKubectlBinary(kubectl, "-n", ns, "port-forward", target, local + ":" + remote);
    pf.awaitLine("kubectl forwarding", l -> l.startsWith("Forwarding from 127.0.0.1:" + local), Duration.ofSeconds(30));
    return pf;
  }

  @Test
  void portForwardToAServiceReachesPodinfoOverWebSocket() throws Exception {
    int port = freePort();
    try (Background pf = forward(null, "svc/podinfo", port, 80)) {
      JsonNode info = get(port, "/");
      assertEquals("6.5.0", info.path("version").asText());
      assertEquals("hello from the workshop", info.path("message").asText());
      assertEquals("#ff0000", info.path("color").asText());
      assertTrue(info.path("hostname").asText().startsWith("podinfo-"), info.toString());
      assertEquals("6.5.0", get(port, "/version").path("version").asText());
      assertEquals("OK", get(port, "/healthz").path("status").asText());
      assertTrue(get(port, "/env").toString().contains("PODINFO_UI_MESSAGE=hello from the workshop"));
      assertTrue(get(port, "/headers").has("User-Agent"));
    }
  }

  @Test
  void portForwardToADeploymentAndAPodWorksOverSpdyToo() throws Exception {
    int port = freePort();
    try (Background pf = forward(null, "deploy/podinfo", port, 9898)) {
      assertEquals("6.5.0", get(port, "/version").path("version").asText());
    }
    assumeTrue(Files.isExecutable(Path.of(OLD_KUBECTL)), "an older kubectl that speaks only SPDY");
    String pod = lab.kubectl("-n", ns, "get", "pods", "-l", "app=podinfo", "-o", "jsonpath={.items[0].metadata.name}").ok().out();
    int spdy = freePort();
    try (Background pf = forward(OLD_KUBECTL, "pod/" + pod, spdy, 9898)) {
      assertEquals(pod, get(spdy, "/").path("hostname").asText());
    }
  }

  @Test
  void aPortThePodDoesNotServeGetsTheKubeletsConnectionRefused() throws Exception {
    int port = freePort();
    try (Background pf = forward(null, "deploy/podinfo", port, 8080)) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(10_000);
        assertEquals(-1, s.getInputStream().read(), "nothing answers");
      }
      Cli.Result r = pf.waitFor(Duration.ofSeconds(20));
      assertTrue(r.err().matches("(?s).*error forwarding port 8080 to pod podinfo-\\S+, uid \\S+: dial tcp4 127.0.0.1:8080: connect: "
          + "connection refused \\(the podinfo stand-in of this pod listens on \\[9898\\]\\).*"), r.toString());
    }
  }

  @Test
  void anImageWithoutAStandInIsRefusedWithAMessage() {
    Cli.Result r = lab.kubectl("-n", ns, "port-forward", "pod/nginx", "18080:80");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.err().contains("nothing listens in pod nginx: the embedded cluster runs no containers, and only podinfo images have a"
        + " built-in stand-in that answers on its port (this pod runs nginx:1.27); start the lab with --cluster k3s to forward to it"),
        r.toString());
  }

  @Test
  void aClientThatDropsMidStreamLeavesNothingOpen() throws Exception {
    int port = freePort();
    Background pf = forward(null, "svc/podinfo", port, 80);
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write("GET /version HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)); // the request is not finished
      out.flush();
      await("the forwarded connection reached the stand-in").atMost(Duration.ofSeconds(10))
          .until(() -> lab.cluster.node().ports().openConnections() > 0);
      pf.kill();
    }
    await("the stand-in's side closed").atMost(Duration.ofSeconds(20))
        .until(() -> lab.cluster.node().ports().openConnections() == 0);
    int again = freePort();
    try (Background pf2 = forward(null, "svc/podinfo", again, 80)) {
      assertEquals("6.5.0", get(again, "/version").path("version").asText());
    }
  }

  @Test
  void execAttachCpRunAndDebugSayTheClusterRunsNoContainers() {
    String refused = "the embedded cluster runs no containers, so it cannot exec into container \"nginx\" of pod \"nginx\" (it is simulated): "
        + "kubectl exec, attach, cp and run -it need a real cluster, start the lab with --cluster k3s";
    Cli.Result exec = lab.kubectl("-n", ns, "exec", "nginx", "--", "ls");
    assertNotEquals(0, exec.exitCode());
    assertTrue(exec.err().contains("Error from server (BadRequest): " + refused), exec.toString());
    Cli.Result cp = lab.kubectl("-n", ns, "cp", tmp.resolve("kubeconfig").toString(), "nginx:/tmp/kubeconfig");
    assertNotEquals(0, cp.exitCode());
    assertTrue(cp.err().contains(refused), cp.toString());
    Cli.Result attach = lab.kubectl("-n", ns, "attach", "nginx");
    assertTrue(attach.err().contains("cannot attach to container \"nginx\" of pod \"nginx\""), attach.toString());
    Cli.Result debug = lab.kubectl("-n", ns, "debug", "nginx", "--image=busybox:1.36", "--profile=general");
    assertNotEquals(0, debug.exitCode());
    assertTrue(debug.err().contains("the embedded cluster runs no containers, so it cannot add a debug container to pod \"nginx\""),
        debug.toString());
    long started = System.nanoTime();
    Cli.Result run = lab.kubectl("-n", ns, "run", "-i", "--rm", "hello", "--image=busybox:1.36", "--restart=Never", "--", "echo", "hi");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("warning: couldn't attach to pod/hello, falling back to streaming logs: the embedded cluster runs no containers"),
        run.toString());
    assertEquals("hi\npod \"hello\" deleted\n", run.out());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15, "ends at once");
  }

  @Test
  void aNewImageShowsItsVersionThroughPortForward() throws Exception {
    String deployNs = lab.namespace();
    lab.apply(deployNs, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: podinfo}
        spec:
          selector: {matchLabels: {app: podinfo}}
          template:
            metadata: {labels: {app: podinfo}}
            spec: {containers: [{name: podinfo, image: "ghcr.io/stefanprodan/podinfo:6.5.0", ports: [{containerPort: 9898}]}]}
        """);
    lab.kubectl("-n", deployNs, "set", "image", "deploy/podinfo", "podinfo=ghcr.io/stefanprodan/podinfo:6.5.1").ok();
    lab.kubectl("-n", deployNs, "rollout", "status", "deploy/podinfo", "--timeout=60s").ok();
    int port = freePort();
    Background pf = lab.startKubectl("-n", deployNs, "port-forward", "deploy/podinfo", port + ":9898");
    try (pf) {
      pf.awaitLine("kubectl forwarding", l -> l.startsWith("Forwarding from 127.0.0.1:" + port), Duration.ofSeconds(30));
      assertEquals("6.5.1", get(port, "/").path("version").asText());
    }
  }
}
