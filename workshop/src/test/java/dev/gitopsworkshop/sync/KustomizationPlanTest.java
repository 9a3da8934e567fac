package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.kube.KubeKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.sync.build.Manifest;
import dev.gitopsworkshop.sync.build.Manifests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The whole set is built, checked and ordered before anything reaches the cluster. */
class KustomizationPlanTest {
  static final Map<String, KubeKind> KNOWN = Map.of(
      "v1/Namespace", new KubeKind("v1", "Namespace", "namespaces", false),
      "v1/ConfigMap", new KubeKind("v1", "ConfigMap", "configmaps", true),
      "apps/v1/Deployment", new KubeKind("apps/v1", "Deployment", "deployments", true),
      "apiextensions.k8s.io/v1/CustomResourceDefinition",
      new KubeKind("apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", false));

  static Optional<KubeKind> discovery(String apiVersion, String kind) {
    return Optional.ofNullable(KNOWN.get(apiVersion + "/" + kind));
  }

  static JsonNode kustomization(String targetNamespace) throws Exception {
    return Mappers.JSON.readTree("""
        {"metadata": {"name": "workshop", "namespace": "flux-system"},
         "spec": {"path": "./deploy", "targetNamespace": "%s"}}""".formatted(targetNamespace));
  }

  /** The objects of files given as alternating paths and contents. */
  static List<Manifest> files(String... pathsAndContents) {
    List<Manifest> out = new ArrayList<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      out.addAll(Manifests.parse(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }


  static final String DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\n  namespace: default\n";
  static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n";
  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        names: {kind: Widget, plural: widgets}
      """;

  @Test
  void ordersCrdsThenNamespacesThenTheRestWithFluxInventoryIds() throws Exception {
    List<KustomizationPlan.Planned> plan = KustomizationPlan.of(kustomization(""), files(
        "deploy/a-app.yaml", DEPLOYMENT,
        "deploy/b-ns.yaml", NAMESPACE,
        "deploy/c-crd.yaml", CRD,
        "deploy/d-widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: team\n"),
        KustomizationPlanTest::discovery);
    assertEquals(List.of("_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition", "_team__Namespace",
        "default_podinfo_apps_Deployment", "team_w_example.com_Widget"), plan.stream().map(p -> p.entry().id()).toList());
    assertEquals("v1", plan.get(1).entry().version());
    assertEquals("Deployment/default/podinfo", plan.get(2).label());
    JsonNode labels = plan.get(2).object().at("/metadata/labels");
    assertEquals("workshop", labels.path("kustomize.toolkit.fluxcd.io/name").asText());
    assertEquals("flux-system", labels.path("kustomize.toolkit.fluxcd.io/namespace").asText());
  }

  @Test
  void targetNamespacePlacesNamespacedObjectsOnly() throws Exception {
    List<KustomizationPlan.Planned> plan = KustomizationPlan.of(kustomization("team"), files(
        "deploy/app.yaml", DEPLOYMENT + "---\n" + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
        "deploy/ns.yaml", NAMESPACE), KustomizationPlanTest::discovery);
    assertEquals(List.of("_team__Namespace", "team_podinfo_apps_Deployment", "team_settings__ConfigMap"),
        plan.stream().map(p -> p.entry().id()).toList());
    assertEquals("team", plan.get(1).object().at("/metadata/namespace").asText());
    assertTrue(plan.get(0).object().at("/metadata/namespace").isMissingNode());
  }

  @Test
  void aNamespacedObjectWithoutNamespaceFailsAsFluxSays() throws Exception {
    var e = assertThrows(KustomizationPlan.ValidationFailure.class, () -> KustomizationPlan.of(kustomization(""),
        files("deploy/ok.yaml", DEPLOYMENT, "deploy/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"),
        KustomizationPlanTest::discovery));
    assertTrue(e.getMessage().startsWith("ConfigMap/settings namespace not specified (deploy/cm.yaml)"), e.getMessage());
  }

  @Test
  void anUnknownKindIsNamedWithItsFile() throws Exception {
    var e = assertThrows(KustomizationPlan.ValidationFailure.class, () -> KustomizationPlan.of(kustomization(""),
        files("deploy/ok.yaml", DEPLOYMENT, "deploy/x.yaml", "apiVersion: v1\nkind: Podd\nmetadata:\n  name: x\n  namespace: default\n"),
        KustomizationPlanTest::discovery));
    assertTrue(e.getMessage().contains("Podd/x (deploy/x.yaml)"), e.getMessage());
    assertTrue(e.getMessage().contains("no matches for kind \"Podd\" in version \"v1\""), e.getMessage());
  }

  @Test
  void anObjectWithoutNameIsRefused() throws Exception {
    var e = assertThrows(KustomizationPlan.ValidationFailure.class, () -> KustomizationPlan.of(kustomization(""),
        files("deploy/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: default\n"),
        KustomizationPlanTest::discovery));
    assertEquals("ConfigMap in deploy/cm.yaml has no metadata.name", e.getMessage());
  }

  @Test
  void theBuiltObjectsAreNotChanged() throws Exception {
    List<Manifest> built = files("deploy/app.yaml", DEPLOYMENT);
    KustomizationPlan.of(kustomization("team"), built, KustomizationPlanTest::discovery);
    assertFalse(built.get(0).object().toString().contains("team"), "the build's objects are copied, not changed");
  }
}
