package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitopsworkshop.Mappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kustomizations built as Flux builds them, with the real kustomize in kubectl, against a lab
 * driven with the real git and kubectl: repositories shaped like podinfo's {@code kustomize/} and
 * like the {@code apps/} and {@code infrastructure/} trees of Flux's kustomize example (bases,
 * overlays, patches, generators) are applied exactly as {@code kubectl kustomize} builds them; the
 * Kustomization's own kustomize fields and postBuild; a patch that matches nothing; a
 * ServiceAccount. Remote bases, files outside the artifact and a missing substitution source are
 * rows of fidelity/kustomize-build.yaml and postbuild.yaml, played by FluxFidelityIT.
 */
class KustomizeBuildIT {
  @TempDir static Path tmp;
  static FluxWorkbench flux;

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: podinfo
        labels: {app: podinfo}
      spec:
        replicas: 1
        selector:
          matchLabels: {app: podinfo}
        template:
          metadata:
            labels: {app: podinfo}
          spec:
            containers:
            - name: podinfod
              image: ghcr.io/stefanprodan/podinfo:6.5.0
              ports:
              - {name: http, containerPort: 9898, protocol: TCP}
      """;
  static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: podinfo
      spec:
        type: ClusterIP
        selector: {app: podinfo}
        ports:
        - {name: http, port: 9898, protocol: TCP, targetPort: http}
      """;

  @BeforeAll
  static void lab() throws Exception {
    flux = FluxWorkbench.start(tmp);
  }

  @AfterEach
  void deleteTheTestsKustomizations() {
    flux.deleteApplied();
  }

  @AfterAll
  static void down() throws Exception {
    flux.lab().close();
  }

  @Test
  void theKustomizationsKustomizeFieldsApplyAsKubectlKustomizeAppliesThem() throws Exception {
    flux.kubectl("create", "namespace", "podinfo-prod").ok();
    flux.push("podinfo's kustomize folder and a component",
        "podinfo/kustomize/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            + "resources: [deployment.yaml, service.yaml, hpa.yaml]\n",
        "podinfo/kustomize/deployment.yaml", DEPLOYMENT,
        "podinfo/kustomize/hpa.yaml", """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: podinfo
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              minReplicas: 2
              maxReplicas: 4
              metrics:
              - type: Resource
                resource:
                  name: cpu
                  target: {type: Utilization, averageUtilization: 99}
            """,
        "podinfo/kustomize/service.yaml", SERVICE,
        "podinfo/components/ha/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1alpha1
            kind: Component
            replicas:
            - {name: podinfo, count: 3}
            """);
    String fields = """
        targetNamespace: podinfo-prod
        namePrefix: prod-
        images:
        - {name: ghcr.io/stefanprodan/podinfo, newTag: 6.7.0}
        patches:
        - target: {kind: Deployment, name: podinfo}
          patch: |
            - op: add
              path: /spec/template/spec/containers/0/env
              value: [{name: PODINFO_UI_COLOR, value: '#34577c'}]
        - patch: |
            apiVersion: v1
            kind: Service
            metadata:
              name: podinfo
              annotations: {exposed: "no"}
        components: [../components/ha]
        commonMetadata:
          labels: {team: blue}
        """;
    flux.apply(FluxWorkbench.kustomization("podinfo", "./podinfo/kustomize", fields));
    flux.awaitApplied("podinfo");

    // the same fields in a kustomization of our own, built by kubectl kustomize
    Path overlay = flux.workspace().resolve("podinfo/local-overlay");
    Files.createDirectories(overlay);
    Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [../kustomize]\nnamespace: podinfo-prod\nnamePrefix: prod-\n"
        + "components: [../components/ha]\n" + fields.substring(fields.indexOf("images:"), fields.indexOf("components:")));
    List<JsonNode> expected = kubectlKustomize(overlay);
    assertEquals(3, expected.size());
    for (JsonNode built : expected) {
      assertLiveMatches(built);
    }
    assertEquals("prod-podinfo", flux.get("hpa", "podinfo-prod", "prod-podinfo", "{.spec.scaleTargetRef.name}"),
        "kustomize's name references follow the prefix");
    assertEquals("blue", flux.get("deployment", "podinfo-prod", "prod-podinfo", "{.metadata.labels.team}"));
    assertEquals("", flux.get("deployment", "podinfo-prod", "prod-podinfo", "{.spec.selector.matchLabels.team}"),
        "commonMetadata sets metadata only");
    assertEquals("flux-system", flux.get("deployment", "podinfo-prod", "prod-podinfo",
        "{.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/namespace}"));
  }

  @Test
  void overlaysShapedLikeFluxsExampleRepositoryAreAppliedExactlyAsKubectlKustomizeBuildsThem() throws Exception {
    flux.push("apps and infrastructure, base and overlay",
        "infrastructure/configs/kustomization.yaml", "resources: [namespace.yaml, cluster-config.yaml]\n",
        "infrastructure/configs/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: platform\n",
        "infrastructure/configs/cluster-config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-config\n"
            + "  namespace: platform\ndata:\n  cluster: staging\n",
        "apps/base/podinfo/kustomization.yaml",
            "namespace: podinfo\nresources: [namespace.yaml, repository.yaml, release.yaml, deployment.yaml, service.yaml]\n",
        "apps/base/podinfo/repository.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: HelmRepository
            metadata:
              name: podinfo
            spec:
              interval: 5m
              url: https://stefanprodan.github.io/podinfo
            """,
        "apps/base/podinfo/release.yaml", """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: podinfo
            spec:
              interval: 50m
              chart:
                spec:
                  chart: podinfo
                  version: "6.x"
                  sourceRef: {kind: HelmRepository, name: podinfo}
              values:
                replicaCount: 1
            """,
        "apps/base/podinfo/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n",
        "apps/base/podinfo/deployment.yaml", DEPLOYMENT,
        "apps/base/podinfo/service.yaml", SERVICE,
        "apps/staging/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [../base/podinfo]
            labels:
            - pairs: {env: staging}
            patches:
            - path: podinfo-patch.yaml
              target: {kind: Deployment}
            - path: podinfo-values.yaml
              target: {kind: HelmRelease}
            configMapGenerator:
            - name: podinfo-settings
              namespace: podinfo
              literals: [color=green]
              files: [../../infrastructure/configs/cluster-config.yaml]
            """,
        "apps/staging/podinfo-values.yaml", """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: podinfo
            spec:
              values:
                replicaCount: 2
                ingress: {enabled: true, className: nginx}
            """,
        "apps/staging/podinfo-patch.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: any
            spec:
              replicas: 2
            """);
    flux.apply(FluxWorkbench.kustomization("infra-configs", "./infrastructure/configs", "")
        + "---\n" + FluxWorkbench.kustomization("apps", "./apps/staging", ""));
    flux.awaitApplied("infra-configs");
    flux.awaitApplied("apps");
    List<JsonNode> expected = kubectlKustomize(flux.workspace().resolve("apps/staging"));
    assertEquals(List.of("Namespace", "ConfigMap", "Service", "Deployment", "HelmRelease", "HelmRepository"),
        expected.stream().map(o -> o.path("kind").asText()).toList(), "kustomize's own order");
    for (JsonNode built : expected) {
      assertLiveMatches(built);
    }
    assertEquals("staging", flux.get("configmap", "platform", "cluster-config", "{.data.cluster}"));
    String inventory = flux.get("kustomization", "flux-system", "apps", "{.status.inventory.entries[*].id}");
    assertTrue(inventory.contains("podinfo_podinfo-settings-"), inventory);
    assertTrue(inventory.contains("podinfo_podinfo_helm.toolkit.fluxcd.io_HelmRelease"), inventory);
    assertEquals("2", flux.get("helmrelease", "podinfo", "podinfo", "{.spec.values.replicaCount}"), "the overlay's values patch");
  }

  @Test
  void aFolderWithoutKustomizationTakesEveryManifestAndSubFoldersWithOneWhole() {
    flux.kubectl("create", "namespace", "mixed").ok();
    flux.push("a plain folder with a kustomized sub-folder",
        "mixed/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: mixed\ndata: {a: b}\n",
        "mixed/deeper/more.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: more\n  namespace: mixed\n",
        "mixed/app/kustomization.yaml", "namePrefix: app-\nresources: [cm.yaml]\n",
        "mixed/app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: listed\n  namespace: mixed\n",
        "mixed/app/unlisted.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unlisted\n  namespace: mixed\n");
    flux.apply(FluxWorkbench.kustomization("mixed", "./mixed", ""));
    flux.awaitApplied("mixed");
    assertTrue(flux.exists("configmap", "mixed", "plain"));
    assertTrue(flux.exists("configmap", "mixed", "more"));
    assertTrue(flux.exists("configmap", "mixed", "app-listed"));
    assertFalse(flux.exists("configmap", "mixed", "unlisted"), "a sub-folder with a kustomization is built by it");
  }

  @Test
  void aPatchThatMatchesNothingIsAsKustomizeHasIt() {
    flux.kubectl("create", "namespace", "patched").ok();
    flux.push("a ConfigMap to patch",
        "patched/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: patched\ndata: {env: base}\n");
    String strategicMerge = """
        patches:
        - patch: |
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: typo, namespace: patched}
            data: {env: prod}
        """;
    flux.apply(FluxWorkbench.kustomization("patched", "./patched", strategicMerge));
    String message = flux.awaitReady("kustomization", "patched", "False", "no resource matches strategic merge patch");
    assertEquals("BuildFailed", flux.ready("kustomization", "patched", "reason"));
    assertTrue(message.startsWith("kustomize build failed: "), message);
    assertFalse(flux.exists("configmap", "patched", "settings"), "nothing is applied from a failed build");

    String targeted = """
        patches:
        - target: {kind: ConfigMap, name: typo}
          patch: |
            - {op: replace, path: /data/env, value: prod}
        """;
    flux.apply(FluxWorkbench.kustomization("patched", "./patched", targeted));
    flux.awaitApplied("patched");
    assertEquals("base", flux.get("configmap", "patched", "settings", "{.data.env}"), "a target that selects nothing patches nothing");
  }

  @Test
  void aServiceAccountThatDoesNotExistFailsAsInFluxAndOneThatExistsIsRefused() {
    flux.push("a ConfigMap", "sa/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: by-sa\n  namespace: default\n");
    flux.apply(FluxWorkbench.kustomization("sa", "./sa", "serviceAccountName: deployer"));
    flux.awaitReady("kustomization", "sa", "False", "forbidden: User \"system:serviceaccount:flux-system:deployer\"");
    assertEquals("ReconciliationFailed", flux.ready("kustomization", "sa", "reason"));
    flux.kubectl("-n", "flux-system", "create", "serviceaccount", "deployer").ok();
    flux.kubectl("-n", "flux-system", "annotate", "--overwrite", "kustomization", "sa", "reconcile.fluxcd.io/requestedAt=sa-created").ok();
    flux.awaitReady("kustomization", "sa", "False", "spec.serviceAccountName is not supported by the embedded operator");
    assertFalse(flux.exists("configmap", "default", "by-sa"));
  }

  @Test
  void postBuildSubstitutesFromConfigMapsSecretsAndInlineWithFluxsSyntax() {
    flux.kubectl("-n", "flux-system", "create", "configmap", "cluster-vars", "--from-literal=CLUSTER_ENV=staging",
        "--from-literal=REPLICAS=2", "--from-literal=REGION=eu").ok();
    flux.kubectl("-n", "flux-system", "create", "secret", "generic", "cluster-secrets", "--from-literal=REGION=us").ok();
    flux.push("manifests with variables",
        "vars/settings.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: default
            data:
              env: ${CLUSTER_ENV}
              region: ${REGION}
              tier: ${TIER:=web}
              owner: ${OWNER}
              literal: $${CLUSTER_ENV}
            """,
        "vars/deployment.yaml", DEPLOYMENT.replace("name: podinfo\n  labels", "name: vars-podinfo\n  namespace: default\n  labels")
            .replace("replicas: 1", "replicas: ${REPLICAS}"),
        "vars/untouched.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: untouched
              namespace: default
              annotations:
                kustomize.toolkit.fluxcd.io/substitute: disabled
            data:
              script: echo ${HOME}
            """);
    flux.apply(FluxWorkbench.kustomization("vars", "./vars", """
        postBuild:
          substitute:
            OWNER: platform-team
          substituteFrom:
          - {kind: ConfigMap, name: cluster-vars}
          - {kind: Secret, name: cluster-secrets}
          - {kind: ConfigMap, name: not-there, optional: true}
        """));
    flux.awaitApplied("vars");
    assertEquals("staging", flux.get("configmap", "default", "settings", "{.data.env}"));
    assertEquals("us", flux.get("configmap", "default", "settings", "{.data.region}"), "a later source wins");
    assertEquals("web", flux.get("configmap", "default", "settings", "{.data.tier}"));
    assertEquals("platform-team", flux.get("configmap", "default", "settings", "{.data.owner}"));
    assertEquals("${CLUSTER_ENV}", flux.get("configmap", "default", "settings", "{.data.literal}"));
    assertEquals("echo ${HOME}", flux.get("configmap", "default", "untouched", "{.data.script}"));
    assertEquals("2", flux.get("deployment", "default", "vars-podinfo", "{.spec.replicas}"), "a number stays a number");
  }

  /** What kubectl kustomize builds from a folder of the participant's clone. */
  static List<JsonNode> kubectlKustomize(Path dir) throws Exception {
    String yaml = flux.lab().cli().run(dir, "kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", ".").ok().out();
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    return docs;
  }

  /** Every value kustomize built is on the live object (which also has the server's defaults and Flux's labels). */
  static void assertLiveMatches(JsonNode built) throws Exception {
    String namespace = built.at("/metadata/namespace").asText("");
    String name = built.at("/metadata/name").asText();
    String kind = built.path("kind").asText();
    String apiVersion = built.path("apiVersion").asText();
    String group = apiVersion.contains("/") ? "." + apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    List<String> args = new ArrayList<>(List.of("get", kind.toLowerCase() + group, name, "-o", "json"));
    if (!namespace.isEmpty()) {
      args.addAll(List.of("-n", namespace));
    }
    await(kind + "/" + name + " live").atMost(Duration.ofSeconds(20))
        .until(() -> flux.kubectl(args.toArray(String[]::new)).exitCode() == 0);
    JsonNode live = Mappers.JSON.readTree(flux.kubectl(args.toArray(String[]::new)).ok().out());
    assertSubset(built, live, kind + "/" + name);
  }

  private static void assertSubset(JsonNode expected, JsonNode actual, String at) {
    if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        assertSubset(f.getValue(), actual.path(f.getKey()), at + "." + f.getKey());
      }
    } else if (expected.isArray()) {
      assertEquals(expected.size(), actual.size(), at + " length");
      for (int i = 0; i < expected.size(); i++) {
        assertSubset(expected.get(i), actual.path(i), at + "[" + i + "]");
      }
    } else {
      assertEquals(expected.asText(), actual.asText(), at);
    }
  }
}
