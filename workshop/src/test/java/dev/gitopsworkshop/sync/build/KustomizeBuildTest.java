package dev.gitopsworkshop.sync.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build stage with the real kustomize in kubectl, as Flux runs it: generated and own
 * kustomization files, the Kustomization's kustomize fields, load rules, post-build and common
 * metadata. The cluster's ConfigMaps and Secrets are a map here.
 */
class KustomizeBuildTest {
  @TempDir static Path work;
  static Optional<Path> kubectl;
  static final Map<String, JsonNode> CLUSTER = new HashMap<>();

  @BeforeAll
  static void findKubectl() {
    kubectl = KustomizeBuild.kubectlOnPath();
    assumeTrue(kubectl.isPresent(), "kubectl is not on PATH");
  }

  static KustomizeBuild build() {
    return new KustomizeBuild(work, kubectl, (kind, ns, name) -> CLUSTER.get(kind + "/" + ns + "/" + name));
  }

  static Map<String, byte[]> files(String... pathsAndContents) {
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  static JsonNode ks(String spec) throws Exception {
    return Manifests.YAML.readTree("metadata: {name: apps, namespace: flux-system}\nspec:\n" + spec.indent(2));
  }

  static List<Manifest> run(String spec, Map<String, byte[]> files) throws Exception {
    return build().build(ks(spec), files);
  }

  static String at(List<Manifest> built, int i, String pointer) {
    return built.get(i).object().at(pointer).asText();
  }

  static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  env: %s\n";
  static final String DEPLOY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: podinfo
      spec:
        replicas: 1
        selector: {matchLabels: {app: podinfo}}
        template:
          metadata: {labels: {app: podinfo}}
          spec:
            containers:
            - name: podinfo
              image: ghcr.io/stefanprodan/podinfo:6.5.0
      """;

  @Test
  void aFolderWithoutKustomizationIsGeneratedAsFluxDoesAndSubFoldersWithOneAreTakenWhole() throws Exception {
    List<Manifest> built = run("path: ./apps", files(
        "apps/a.yaml", CM.formatted("a", "x"),
        "apps/notes.txt", "not yaml",
        "apps/plain/b.yml", CM.formatted("b", "x"),
        "apps/podinfo/kustomization.yaml", "resources: [deploy.yaml]\nnamePrefix: team-\n",
        "apps/podinfo/deploy.yaml", DEPLOY,
        "apps/podinfo/unlisted.yaml", CM.formatted("unlisted", "x")));
    assertEquals(List.of("a", "b", "team-podinfo"), built.stream().map(m -> m.object().at("/metadata/name").asText()).toList());
    assertEquals("apps/podinfo/deploy.yaml", built.get(2).file());
    assertTrue(built.get(0).object().at("/metadata/annotations").isMissingNode(), "no build annotations are left: " + built.get(0));
  }

  @Test
  void theKustomizationsFieldsGoThroughKustomize() throws Exception {
    List<Manifest> built = run("""
        path: ./app
        targetNamespace: prod
        namePrefix: pre-
        nameSuffix: -suf
        images:
        - name: ghcr.io/stefanprodan/podinfo
          newTag: 6.7.0
        patches:
        - target: {kind: Deployment}
          patch: |
            - op: replace
              path: /spec/replicas
              value: 3
        - patch: |
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              env: patched
        commonMetadata:
          labels: {team: blue}
          annotations: {owner: ops}
        """, files("app/deploy.yaml", DEPLOY, "app/cm.yaml", CM.formatted("settings", "base")));
    ObjectNode cm = built.get(0).object();
    ObjectNode deploy = built.get(1).object();
    assertEquals("pre-settings-suf", cm.at("/metadata/name").asText());
    assertEquals("prod", cm.at("/metadata/namespace").asText());
    assertEquals("patched", cm.at("/data/env").asText());
    assertEquals(3, deploy.at("/spec/replicas").asInt());
    assertEquals("ghcr.io/stefanprodan/podinfo:6.7.0", deploy.at("/spec/template/spec/containers/0/image").asText());
    assertEquals("blue", deploy.at("/metadata/labels/team").asText());
    assertEquals("ops", deploy.at("/metadata/annotations/owner").asText());
    assertTrue(deploy.at("/spec/selector/matchLabels/team").isMissingNode(), "commonMetadata leaves selectors alone");
  }

  @Test
  void componentsAreAddedAndAMissingOneFailsUnlessIgnored() throws Exception {
    Map<String, byte[]> files = files("app/cm.yaml", CM.formatted("settings", "base"),
        "components/prod/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1alpha1
            kind: Component
            patches:
            - target: {kind: ConfigMap}
              patch: |
                - op: replace
                  path: /data/env
                  value: prod
            """);
    assertEquals("prod", at(run("path: ./app\ncomponents: [../components/prod]", files), 0, "/data/env"));
    BuildFailure e = assertThrows(BuildFailure.class, () -> run("path: ./app\ncomponents: [../components/nope]", files));
    assertTrue(e.getMessage().contains("component 'components/nope' not found") || e.getMessage().contains("../components/nope"),
        e.getMessage());
    assertEquals("base", at(run("path: ./app\ncomponents: [../components/nope]\nignoreMissingComponents: true", files), 0, "/data/env"));
  }

  @Test
  void kustomizeFeaturesOfTheRepositoryWork() throws Exception {
    List<Manifest> built = run("path: ./overlays/prod", files(
        "base/kustomization.yaml", "resources: [deploy.yaml]\n",
        "base/deploy.yaml", DEPLOY,
        "shared/app.properties", "color=blue\n",
        "overlays/prod/kustomization.yaml", """
            namespace: prod
            resources: [../../base, ns.yaml]
            configMapGenerator:
            - name: podinfo-config
              files: [../../shared/app.properties]
            replicas:
            - name: podinfo
              count: 2
            """,
        "overlays/prod/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n"));
    assertEquals(List.of("Namespace", "ConfigMap", "Deployment"), built.stream().map(m -> m.object().path("kind").asText()).toList());
    assertTrue(at(built, 1, "/metadata/name").startsWith("podinfo-config-"), "a generated name has kustomize's hash");
    assertEquals("overlays/prod/kustomization.yaml", built.get(1).file());
    assertEquals("base/deploy.yaml", built.get(2).file());
    assertEquals("2", at(built, 2, "/spec/replicas"));
  }

  @Test
  void filesOutsideTheArtifactAndRemoteBasesAreRefused() {
    BuildFailure outside = assertThrows(BuildFailure.class, () -> run("path: ./app", files(
        "app/kustomization.yaml", "configMapGenerator:\n- name: x\n  files: [../../../etc/passwd]\n")));
    assertTrue(outside.getMessage().contains("'../../../etc/passwd' is outside the source artifact"), outside.getMessage());
    BuildFailure remote = assertThrows(BuildFailure.class, () -> run("path: ./app", files(
        "app/kustomization.yaml", "resources:\n- https://github.com/stefanprodan/podinfo//kustomize?ref=6.5.0\n")));
    assertEquals("UnsupportedField", remote.reason());
    assertTrue(remote.getMessage().contains("remote resource") && remote.getMessage().contains("--cluster k3s"), remote.getMessage());
  }

  @Test
  void kustomizeErrorsAreReportedWithArtifactPaths() {
    BuildFailure e = assertThrows(BuildFailure.class, () -> run("path: ./app", files(
        "app/kustomization.yaml", "resources: [cm.yaml]\npatches:\n- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n"
            + "    metadata:\n      name: nothing\n", "app/cm.yaml", CM.formatted("settings", "x"))));
    assertEquals("BuildFailed", e.reason());
    assertTrue(e.getMessage().startsWith("kustomize build failed: "), e.getMessage());
    assertTrue(e.getMessage().contains("no resource matches strategic merge patch"), e.getMessage());
    assertTrue(!e.getMessage().contains(work.toString()), e.getMessage());
  }

  @Test
  void aPreparedBuildIsTakenByTheReconcileAndAFailedOneIsTriedAgain() throws Exception {
    KustomizeBuild build = build();
    Map<String, byte[]> files = files("app/kustomization.yaml", "resources: [cm.yaml]\nnamePrefix: prepared-\n",
        "app/cm.yaml", CM.formatted("a", "x"));
    build.prepare(ks("path: ./app"), files);
    assertEquals("prepared-a", at(build.build(ks("path: ./app"), files), 0, "/metadata/name"));
    Map<String, byte[]> broken = files("app/kustomization.yaml", "resources: [cm.yaml]\npatches:\n- patch: |\n"
        + "    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: typo}\n", "app/cm.yaml", CM.formatted("a", "x"));
    build.prepare(ks("path: ./app"), broken);
    for (int attempt = 0; attempt < 2; attempt++) {
      BuildFailure e = assertThrows(BuildFailure.class, () -> build.build(ks("path: ./app"), broken));
      assertTrue(e.getMessage().contains("no resource matches strategic merge patch"), e.getMessage());
    }
    build.close();
  }

  @Test
  void foldersWithTheSameKustomizationBuildTheirOwnFiles() throws Exception {
    KustomizeBuild build = build();
    Map<String, byte[]> files = files("one/cm.yaml", CM.formatted("one", "1"), "two/cm.yaml", CM.formatted("two", "2"));
    assertEquals("one", at(build.build(ks("path: ./one"), files), 0, "/metadata/name"));
    assertEquals("two", at(build.build(ks("path: ./two"), files), 0, "/metadata/name"));
    build.close();
  }

  @Test
  void aMissingPathIsAnArtifactFailure() {
    BuildFailure e = assertThrows(BuildFailure.class, () -> run("path: ./nope", files("app/cm.yaml", CM.formatted("a", "x"))));
    assertEquals("ArtifactFailed", e.reason());
    assertTrue(e.getMessage().startsWith("kustomization path not found: stat ./nope: no such file or directory"), e.getMessage());
  }

  @Test
  void anEmptyFolderBuildsToNothing() throws Exception {
    assertEquals(List.of(), run("path: ./deploy", files("deploy/.gitkeep", "")));
  }

  @Test
  void postBuildSubstitutesFromSourcesInOrderThenInline() throws Exception {
    CLUSTER.put("ConfigMap/flux-system/vars", Manifests.YAML.readTree("data: {env: staging, region: eu, replicas: '2'}"));
    CLUSTER.put("Secret/flux-system/secret-vars", Manifests.YAML.readTree("data: {region: dXM=}")); // us
    List<Manifest> built = run("""
        path: ./app
        postBuild:
          substitute: {env: prod}
          substituteFrom:
          - {kind: ConfigMap, name: vars}
          - {kind: Secret, name: secret-vars}
          - {kind: ConfigMap, name: absent, optional: true}
        """, files("app/cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              env: ${env}
              region: ${region}
              tier: ${tier:=web}
              literal: $${env}
            """, "app/deploy.yaml", DEPLOY.replace("replicas: 1", "replicas: ${replicas}"),
            "app/keep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  annotations:\n"
                + "    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  env: ${env}\n"));
    assertEquals("prod", at(built, 1, "/data/env"));
    assertEquals("us", at(built, 1, "/data/region"));
    assertEquals("web", at(built, 1, "/data/tier"));
    assertEquals("${env}", at(built, 1, "/data/literal"));
    assertEquals("${env}", at(built, 0, "/data/env"), "the disabled object is left alone");
    assertTrue(built.get(2).object().at("/spec/replicas").isInt(), "a substituted number is a number: " + built.get(2).object());
  }

  @Test
  void aMissingSubstitutionSourceFailsTheBuildNamingIt() {
    BuildFailure e = assertThrows(BuildFailure.class, () -> run("""
        path: ./app
        postBuild:
          substituteFrom:
          - {kind: ConfigMap, name: cluster-vars}
        """, files("app/cm.yaml", CM.formatted("settings", "${env}"))));
    assertEquals("post build failed for 'ConfigMap.v1.[noGrp]/settings': substitute from 'ConfigMap/cluster-vars' error:"
        + " configmaps \"cluster-vars\" not found", e.getMessage());
  }

  @Test
  void refusedFieldsAreNamed() {
    BuildFailure e = assertThrows(BuildFailure.class, () -> run("path: ./app\ndecryption: {provider: sops}",
        files("app/cm.yaml", CM.formatted("a", "x"))));
    assertEquals("UnsupportedField", e.reason());
    assertTrue(e.getMessage().startsWith("spec.decryption is not supported by the embedded operator"), e.getMessage());
  }

  @Test
  void withoutKubectlPostBuildStillSubstitutesNumbersAsNumbers() throws Exception {
    KustomizeBuild plain = new KustomizeBuild(work, Optional.empty(), (kind, ns, name) -> null);
    List<Manifest> built = plain.build(ks("path: ./app\npostBuild:\n  substitute: {REPLICAS: '2', ENV: prod}"),
        files("app/deploy.yaml", DEPLOY.replace("replicas: 1", "replicas: ${REPLICAS}"), "app/cm.yaml", CM.formatted("a", "${ENV}")));
    assertEquals("prod", at(built, 0, "/data/env"));
    assertEquals(2, built.get(1).object().at("/spec/replicas").intValue());
    assertTrue(built.get(1).object().at("/spec/replicas").isInt(), built.get(1).object().toString());
  }

  @Test
  void withoutKubectlPlainManifestsStillBuildAndKustomizeFeaturesAreRefusedSayingWhy() throws Exception {
    KustomizeBuild plain = new KustomizeBuild(work, Optional.empty(), (kind, ns, name) -> null);
    Map<String, byte[]> files = files("app/kustomization.yaml", "resources: [cm.yaml, more]\n", "app/cm.yaml",
        CM.formatted("a", "x"), "app/more/kustomization.yaml", "resources: [b.yaml]\n", "app/more/b.yaml", CM.formatted("b", "y"));
    assertEquals(2, plain.build(ks("path: ./app"), files).size());
    BuildFailure field = assertThrows(BuildFailure.class, () -> plain.build(ks("path: ./app\nnamePrefix: x-"), files));
    assertTrue(field.getMessage().contains("spec.namePrefix needs kustomize") && field.getMessage().contains("kubectl"),
        field.getMessage());
    files.put("app/kustomization.yaml", "resources: [cm.yaml]\nimages: [{name: x, newTag: y}]\n".getBytes(StandardCharsets.UTF_8));
    BuildFailure feature = assertThrows(BuildFailure.class, () -> plain.build(ks("path: ./app"), files));
    assertTrue(feature.getMessage().contains("app/kustomization.yaml uses 'images', which needs kustomize"), feature.getMessage());
  }
}
