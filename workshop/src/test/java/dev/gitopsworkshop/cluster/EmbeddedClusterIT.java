package dev.gitopsworkshop.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded cluster against the real kubectl, started as a user starts it: {@code workshop up}. */
class EmbeddedClusterIT {
  @TempDir static Path tmp;
  static RunningLab lab;

  @BeforeAll
  static void up() throws Exception {
    lab = RunningLab.up(tmp);
  }

  @AfterAll
  static void down() throws Exception {
    lab.close();
  }

  private static String namespace() {
    String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    lab.kubectl("create", "namespace", ns).ok();
    return ns;
  }

  /** The project's podinfo example, moved into the test's own namespace. */
  private static Path podinfo(String ns) throws Exception {
    Path copy = tmp.resolve("podinfo-" + ns + ".yaml");
    Files.writeString(copy, Files.readString(Cli.projectRoot().resolve("examples/podinfo-dep.yaml"))
        .replace("namespace: default", "namespace: " + ns));
    return copy;
  }

  @Test
  void answersVersionAndHasOneReadyNode() {
    assertTrue(lab.kubectl("version").ok().out().contains("Server Version: v1.33"));
    String nodes = lab.kubectl("get", "nodes").ok().out();
    assertEquals(2, nodes.strip().lines().count(), nodes);
    assertTrue(nodes.lines().skip(1).findFirst().orElse("").matches("workshop\\s+Ready\\s+control-plane\\s+.*"), nodes);
  }

  @Test
  void appliesPodinfoAndRollsItOut() throws Exception {
    String ns = namespace();
    lab.kubectl("apply", "-n", ns, "-f", podinfo(ns).toString()).ok();
    assertTrue(lab.kubectl("rollout", "status", "-n", ns, "deployment/podinfo", "--timeout=30s").ok().out()
        .contains("successfully rolled out"));
    String deploy = lab.kubectl("get", "deploy", "podinfo", "-n", ns).ok().out();
    assertTrue(deploy.lines().findFirst().orElse("").matches("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE"), deploy);
    assertTrue(deploy.lines().skip(1).findFirst().orElse("").matches("podinfo\\s+1/1\\s+1\\s+1\\s+\\S+"), deploy);
    String pods = lab.kubectl("get", "pods", "-n", ns).ok().out();
    assertTrue(pods.lines().skip(1).findFirst().orElse("").matches("podinfo-\\S+\\s+1/1\\s+Running\\s+0\\s+\\S+"), pods);
  }

  @Test
  void scalesToFourWhileAWatchStreamsTheChanges() throws Exception {
    String ns = namespace();
    lab.kubectl("apply", "-n", ns, "-f", podinfo(ns).toString()).ok();
    lab.kubectl("rollout", "status", "-n", ns, "deployment/podinfo", "--timeout=30s").ok();
    Background watch = lab.startKubectl("get", "pods", "-w", "-n", ns);
    try {
      await("watch shows the first pod").atMost(Duration.ofSeconds(20)).until(() -> watch.out().contains("Running"));
      lab.kubectl("scale", "-n", ns, "deployment/podinfo", "--replicas=4").ok();
      lab.kubectl("wait", "-n", ns, "--for=condition=Available", "deployment/podinfo", "--timeout=30s").ok();
      await("4 pods Running")
          .atMost(Duration.ofSeconds(30))
          .until(() -> lab.kubectl("get", "pods", "-n", ns, "--no-headers").ok().out().lines()
              .filter(l -> l.contains(" Running ")).count() == 4);
      await("the watch streamed the new pods")
          .atMost(Duration.ofSeconds(20))
          .until(() -> watch.out().lines().filter(l -> l.contains("Running")).map(l -> l.split("\\s+")[0]).distinct().count() >= 4);
      assertTrue(watch.out().contains("ContainerCreating") || watch.out().contains("Pending"), watch.out());
    } finally {
      watch.close();
    }
  }

  @Test
  void anImageChangeRollsOutAndUndoRollsBack() throws Exception {
    String ns = namespace();
    lab.kubectl("apply", "-n", ns, "-f", podinfo(ns).toString()).ok();
    lab.kubectl("rollout", "status", "-n", ns, "deployment/podinfo", "--timeout=30s").ok();
    lab.kubectl("set", "image", "-n", ns, "deployment/podinfo", "podinfo=ghcr.io/stefanprodan/podinfo:6.5.1").ok();
    lab.kubectl("rollout", "status", "-n", ns, "deployment/podinfo", "--timeout=30s").ok();
    assertEquals("ghcr.io/stefanprodan/podinfo:6.5.1", image(ns));
    assertEquals(2, lab.kubectl("get", "rs", "-n", ns, "--no-headers").ok().out().strip().lines().count());
    lab.kubectl("rollout", "undo", "-n", ns, "deployment/podinfo").ok();
    lab.kubectl("rollout", "status", "-n", ns, "deployment/podinfo", "--timeout=30s").ok();
    assertEquals("ghcr.io/stefanprodan/podinfo:6.5.0", image(ns));
    assertEquals("3", lab.kubectl("get", "deploy", "podinfo", "-n", ns, "-o",
        "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}").ok().out().strip());
    String pods = lab.kubectl("get", "pods", "-n", ns, "-o", "jsonpath={.items[*].spec.containers[0].image}").ok().out();
    await("old pods gone").atMost(Duration.ofSeconds(20)).until(() ->
        !lab.kubectl("get", "pods", "-n", ns, "-o", "jsonpath={.items[*].spec.containers[0].image}").ok().out().contains("6.5.1"));
    assertTrue(pods.contains("6.5.0"), pods);
  }

  private static String image(String ns) {
    return lab.kubectl("get", "deploy", "podinfo", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}").ok().out().strip();
  }

  @Test
  void deletingADeploymentRemovesItsReplicaSetsAndPods() throws Exception {
    String ns = namespace();
    lab.kubectl("apply", "-n", ns, "-f", podinfo(ns).toString()).ok();
    lab.kubectl("rollout", "status", "-n", ns, "deployment/podinfo", "--timeout=30s").ok();
    lab.kubectl("delete", "-n", ns, "deployment", "podinfo").ok();
    await("replica sets and pods collected")
        .atMost(Duration.ofSeconds(20))
        .until(() -> lab.kubectl("get", "rs,pods", "-n", ns, "--no-headers").out().isBlank());
  }

  @Test
  void serverSideApplyCreatesAndUpdates() throws Exception {
    String ns = namespace();
    lab.kubectl("apply", "--server-side", "-n", ns, "-f", podinfo(ns).toString()).ok();
    Path two = tmp.resolve("podinfo-2-" + ns + ".yaml");
    Files.writeString(two, Files.readString(podinfo(ns)).replace("replicas: 1", "replicas: 2"));
    lab.kubectl("apply", "--server-side", "-n", ns, "-f", two.toString()).ok();
    lab.kubectl("rollout", "status", "-n", ns, "deployment/podinfo", "--timeout=30s").ok();
    assertEquals("2", lab.kubectl("get", "deploy", "podinfo", "-n", ns, "-o", "jsonpath={.status.availableReplicas}").ok().out());
    assertTrue(lab.kubectl("get", "deploy", "podinfo", "-n", ns, "-o", "jsonpath={.metadata.managedFields[*].manager}", "--show-managed-fields").ok().out()
        .contains("kubectl"));
  }

  @Test
  void aCustomResourceDefinitionServesItsKindWithPrinterColumns() throws Exception {
    Path crd = tmp.resolve("crd.yaml");
    Files.writeString(crd, """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Size, type: string, jsonPath: .spec.size}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
        """);
    lab.kubectl("apply", "-f", crd.toString()).ok();
    lab.kubectl("wait", "--for=condition=established", "crd/widgets.example.com", "--timeout=10s").ok();
    Path widget = tmp.resolve("widget.yaml");
    Files.writeString(widget, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: large}\n");
    lab.kubectl("apply", "-f", widget.toString()).ok();
    String out = lab.kubectl("get", "wd").ok().out();
    assertTrue(out.lines().findFirst().orElse("").matches("NAME\\s+SIZE\\s+AGE"), out);
    assertTrue(out.contains("w1") && out.contains("large"), out);
  }

  @Test
  void badInputIsAnsweredLikeAnApiServerAndDisturbsNothing() throws Exception {
    String ns = namespace();
    lab.kubectl("apply", "-n", ns, "-f", podinfo(ns).toString()).ok();
    String before = lab.kubectl("get", "all", "-n", ns, "-o", "name").ok().out();
    String base = "/api/v1/namespaces/" + ns + "/configmaps";

    Path invalid = tmp.resolve("invalid.json");
    Files.writeString(invalid, "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", ");
    Cli.Result r400 = lab.kubectl("create", "--raw", base, "-f", invalid.toString());
    assertNotEquals(0, r400.exitCode());
    assertTrue(r400.err().contains("BadRequest") || r400.err().contains("unknown format"), r400.err());

    Cli.Result r404 = lab.kubectl("get", "frobnicators");
    assertTrue(r404.err().contains("the server doesn't have a resource type \"frobnicators\""), r404.err());

    Path noSelector = tmp.resolve("noselector.yaml");
    Files.writeString(noSelector, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec: {replicas: 1}\n");
    Cli.Result r422 = lab.kubectl("apply", "-n", ns, "-f", noSelector.toString());
    assertTrue(r422.err().contains("spec.selector: Required value") && r422.err().contains("spec.template: Required value"), r422.err());

    Cli.Result r401 = lab.cli().run(null, "kubectl", "--kubeconfig=" + lab.kubeconfig(), "--cache-dir=" + tmp.resolve("c401"),
        "--token=not-the-token", "get", "pods");
    assertTrue(r401.err().contains("Unauthorized") || r401.err().contains("provide credentials"), r401.err());

    Path big = tmp.resolve("big.json");
    Files.writeString(big, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"x\":\"" + "a".repeat(4 * 1024 * 1024) + "\"}}");
    Cli.Result r413 = lab.kubectl("create", "--raw", base, "-f", big.toString());
    assertTrue(r413.err().contains("too large") || r413.err().contains("413"), r413.err());

    assertEquals(before, lab.kubectl("get", "all", "-n", ns, "-o", "name").ok().out());
    assertTrue(lab.kubectl("get", "configmaps", "-n", ns, "-o", "name").ok().out().isBlank());
  }
}
