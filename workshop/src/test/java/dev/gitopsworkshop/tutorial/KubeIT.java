package dev.gitopsworkshop.tutorial;

import dev.gitopsworkshop.kube.Kube;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.embedded.EmbeddedCluster;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.tutorial.actions.ClusterActions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial's fabric8 door to the cluster, against the embedded API server. */
class KubeIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  @TempDir Path tmp;
  EmbeddedCluster cluster;
  Kube kube;

  @BeforeEach
  void setUp() {
    cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(DataDir.at(tmp.resolve("data")), "127.0.0.1", 0, null, 50));
    kube = Kube.fromKubeconfig(cluster.kubeconfig());
  }

  @AfterEach
  void tearDown() {
    kube.close();
    cluster.close();
  }

  private static ObjectNode yaml(String text) throws Exception {
    return (ObjectNode) YAML.readTree(text);
  }

  @Test
  void appliesGetsListsAndDeletesByApiVersionAndKind() throws Exception {
    kube.apply(yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: default, labels: {app: podinfo}}
        data: {color: blue}
        """));
    assertEquals("blue", kube.find("v1", "ConfigMap", "default", "settings").orElseThrow().at("/data/color").asText());
    kube.apply(yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: default, labels: {app: podinfo}}
        data: {color: green}
        """));
    assertEquals("green", kube.find("v1", "ConfigMap", "default", "settings").orElseThrow().at("/data/color").asText(), "applied again");
    assertEquals(1, kube.list("v1", "ConfigMap", "default", "app=podinfo").size());
    assertEquals(0, kube.list("v1", "ConfigMap", "default", "app=other").size());

    kube.delete("v1", "ConfigMap", "default", "settings");
    assertTrue(kube.find("v1", "ConfigMap", "default", "settings").isEmpty());
    kube.delete("v1", "ConfigMap", "default", "settings");
  }

  private static final String WIDGET_CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.dev}
      spec:
        group: example.dev
        scope: Namespaced
        names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
        versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
      """;

  @Test
  void kubectlApplyOfManyObjects_appliesAllItCan_andReportsTheFirstFailureInTheFilesOrder() throws Exception {
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: many}\n");
    for (int i = 0; i < 8; i++) {
      String name = i == 3 ? "first_refused" : i == 6 ? "second_refused" : "config-" + i;
      yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ").append(name).append(", namespace: many}\n")
          .append("data: {n: \"").append(i).append("\"}\n");
    }
    LabFile lab = LabFile.empty().put("cluster", "kubeconfig", cluster.kubeconfig().toString());
    try (TutorialContext context = new TutorialContext(lab, DataDir.at(tmp.resolve("data")))) {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> new ClusterActions.KubectlApply(null, yaml.toString()).run(context));
      assertTrue(e.getMessage().contains("first_refused"), e.getMessage());
      assertEquals(1, e.getSuppressed().length, "the other refusal rides along");
      assertTrue(e.getSuppressed()[0].getMessage().contains("second_refused"), e.getSuppressed()[0].getMessage());
    }
    for (int i : new int[] {0, 1, 2, 4, 5, 7}) {
      assertEquals(String.valueOf(i), kube.find("v1", "ConfigMap", "many", "config-" + i).orElseThrow().at("/data/n").asText());
    }
  }

  @Test
  void oneLookAsksOnceAboutAKindTheClusterDoesNotServe() throws Exception {
    boolean[] seen = Kube.oneLook(() -> {
      boolean before = kube.knows("example.dev/v1", "Widget");
      try {
        kube.apply(yaml(WIDGET_CRD));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      // another client on another thread, outside this look, sees the cluster serve it
      try (Kube other = Kube.fromKubeconfig(cluster.kubeconfig())) {
        java.util.concurrent.CompletableFuture.runAsync(() -> await("the Widget kind served").atMost(Duration.ofSeconds(20))
            .until(() -> other.knows("example.dev/v1", "Widget"))).join();
      }
      // served now, but this look asked already: its checks agree on the moment it began
      boolean after = kube.knows("example.dev/v1", "Widget");
      boolean otherKindOfThatVersion = kube.knows("example.dev/v1", "Gadget");
      return new boolean[] {before, after, otherKindOfThatVersion};
    });
    assertFalse(seen[0]);
    assertFalse(seen[1], "within the look, the kind is not asked about again");
    assertFalse(seen[2]);
    await("the next look sees the Widget kind").atMost(Duration.ofSeconds(20))
        .until(() -> Kube.oneLook(() -> kube.knows("example.dev/v1", "Widget")));
  }

  @Test
  void aKindACrdAddsIsKnownOnceTheCrdIsServed() throws Exception {
    assertFalse(kube.knows("example.dev/v1", "Widget"));
    assertTrue(kube.find("example.dev/v1", "Widget", "default", "w").isEmpty(), "an unknown kind has no objects");
    WorkshopException e = assertThrows(WorkshopException.class, () -> kube.apply(yaml("""
        apiVersion: example.dev/v1
        kind: Widget
        metadata: {name: w, namespace: default}
        """)));
    assertEquals("the cluster has no kind Widget (example.dev/v1)", e.getMessage());

    kube.apply(yaml(WIDGET_CRD));
    await("the Widget kind served").atMost(Duration.ofSeconds(20)).until(() -> kube.knows("example.dev/v1", "Widget"));
    kube.apply(yaml("""
        apiVersion: example.dev/v1
        kind: Widget
        metadata: {name: w, namespace: default}
        spec: {size: 3}
        """));
    assertEquals(3, kube.find("example.dev/v1", "Widget", "default", "w").orElseThrow().at("/spec/size").asInt());
  }

  @Test
  void aWatchHearsAdditionsAndDeletions() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    try (AutoCloseable watch = kube.watch("v1", "ConfigMap", events::add).orElseThrow()) {
      kube.apply(yaml("""
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: watched, namespace: default}
          """));
      kube.delete("v1", "ConfigMap", "default", "watched");
      await("ADDED and DELETED heard").atMost(Duration.ofSeconds(20))
          .until(() -> events.contains("ADDED") && events.contains("DELETED"));
    }
    assertTrue(kube.watch("example.dev/v1", "Widget", events::add).isEmpty(), "no watch on a kind not served");
  }
}
