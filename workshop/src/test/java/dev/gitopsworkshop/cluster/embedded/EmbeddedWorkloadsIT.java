package dev.gitopsworkshop.cluster.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded cluster started in-process, driven by the real kubectl: namespaces, events, pull failures, reset. */
class EmbeddedWorkloadsIT {
  private static final String RUNTIME_IMAGE = "example.com/in-process:1.0";
  @TempDir static Path tmp;
  static EmbeddedCluster cluster;
  static Cli cli;
  static Path kubeconfig;
  static final AtomicInteger started = new AtomicInteger();
  static final AtomicInteger stopped = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(DataDir.at(tmp.resolve("data")), "127.0.0.1", 0, null, 150));
    kubeconfig = tmp.resolve("kubeconfig");
    cluster.writeKubeconfig(kubeconfig);
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    cluster.images(image -> !image.endsWith(":9.9.9"));
    cluster.kubelet().register(new ContainerRuntime() {
      @Override
      public boolean runs(String image) {
        return image.equals(RUNTIME_IMAGE);
      }

      @Override
      public AutoCloseable start(ContainerContext context) {
        started.incrementAndGet();
        return stopped::incrementAndGet;
      }
    });
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Cli.Result kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "--cache-dir=" + tmp.resolve("cache"),
        "--request-timeout=20s"));
    cmd.addAll(List.of(args));
    return cli.run(null, cmd.toArray(String[]::new));
  }

  private static String namespace() {
    String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    kubectl("create", "namespace", ns).ok();
    return ns;
  }

  private static void deploy(String ns, String name, String image) throws Exception {
    Path file = tmp.resolve(name + "-" + ns + ".yaml");
    Files.writeString(file, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - name: %1$s
                image: %s
                ports: [{containerPort: 9898}]
        """.formatted(name, ns, image));
    kubectl("apply", "-f", file.toString()).ok();
  }

  @Test
  void deletingANamespaceRemovesEverythingInIt() throws Exception {
    String ns = namespace();
    deploy(ns, "podinfo", "ghcr.io/stefanprodan/podinfo:6.5.0");
    kubectl("-n", ns, "rollout", "status", "deployment/podinfo", "--timeout=60s").ok();
    assertTrue(kubectl("get", "namespace", ns).ok().out().contains("Active"));
    kubectl("delete", "namespace", ns, "--timeout=60s").ok();
    Cli.Result gone = kubectl("get", "namespace", ns);
    assertTrue(gone.err().contains("NotFound") || gone.err().contains("not found"), gone.toString());
    assertTrue(cluster.store().list(cluster.types().byPlural("", "v1", "pods").orElseThrow(), ns, null).items().isEmpty());
    assertTrue(kubectl("get", "all", "-n", ns).ok().err().contains("No resources found"));
  }

  @Test
  void describeShowsTheEventsOfTheRolloutAndThePod() throws Exception {
    String ns = namespace();
    deploy(ns, "podinfo", "ghcr.io/stefanprodan/podinfo:6.5.0");
    kubectl("-n", ns, "rollout", "status", "deployment/podinfo", "--timeout=60s").ok();
    String deployment = kubectl("-n", ns, "describe", "deployment", "podinfo").ok().out();
    assertTrue(deployment.matches("(?s).*ScalingReplicaSet\\s+.*deployment-controller\\s+Scaled up replica set podinfo-\\w+ from 0 to 1.*"),
        deployment);
    String pod = kubectl("-n", ns, "describe", "pod", "-l", "app=podinfo").ok().out();
    for (String reason : List.of("Scheduled", "Pulled", "Created", "Started")) {
      assertTrue(pod.contains(reason), reason + " in\n" + pod);
    }
  }

  @Test
  void anImageThatDoesNotExistShowsImagePullErrorsInGetPods() throws Exception {
    String ns = namespace();
    deploy(ns, "missing", "ghcr.io/stefanprodan/podinfo:9.9.9");
    await("pull error in kubectl get pods").atMost(Duration.ofSeconds(30)).until(() -> {
      String out = kubectl("-n", ns, "get", "pods").ok().out();
      return out.matches("(?s).*missing-\\S+\\s+0/1\\s+(ErrImagePull|ImagePullBackOff)\\s.*");
    });
    Cli.Result wait = kubectl("-n", ns, "wait", "--for=condition=Available", "deployment/missing", "--timeout=2s");
    assertFalse(wait.exitCode() == 0, "never Available:\n" + wait);
  }

  @Test
  void resetGivesANewEmptyClusterAndStopsInProcessContainers() throws Exception {
    String ns = namespace();
    deploy(ns, "runtime", RUNTIME_IMAGE);
    kubectl("-n", ns, "rollout", "status", "deployment/runtime", "--timeout=60s").ok();
    assertTrue(started.get() >= 1);
    int stoppedBefore = stopped.get();
    cluster.reset();
    assertEquals(stoppedBefore + 1, stopped.get(), "the in-process container stopped by the reset");
    Cli.Result nsGone = kubectl("get", "namespace", ns);
    assertTrue(nsGone.err().contains("not found"), nsGone.toString());
    assertTrue(kubectl("get", "nodes").ok().out().matches("(?s).*workshop\\s+Ready.*"));
    await("default ServiceAccount back").atMost(Duration.ofSeconds(20)).until(() ->
        kubectl("get", "serviceaccount", "default", "-n", "default").exitCode() == 0);
    String again = namespace();
    int startedBefore = started.get();
    deploy(again, "runtime", RUNTIME_IMAGE);
    kubectl("-n", again, "rollout", "status", "deployment/runtime", "--timeout=60s").ok();
    assertEquals(startedBefore + 1, started.get(), "the runtime is still registered after the reset");
  }
}
