package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitRepositories as Flux resolves them, against a lab driven with the real git and kubectl: refs
 * (tag, semver, commit, ref name) and their revisions, and the status of an include. The lab runs
 * without kubectl on its PATH, so that the builds here (plain manifests) also show the build
 * without kustomize, and what it refuses. Bad refs, ignore rules, sourceRef kinds and the refused
 * fields are rows of fidelity/source.yaml, played by FluxFidelityIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceRefsIT {
  @TempDir static Path tmp;
  static FluxWorkbench flux;
  static String url;
  static String first;
  static String second;

  @BeforeAll
  static void labWithoutKubectl() throws Exception {
    Path emptyPath = Files.createDirectories(tmp.resolve("no-kubectl"));
    flux = FluxWorkbench.start(tmp, Map.of("PATH", emptyPath.toString()));
    url = flux.get("gitrepository", "flux-system", "workshop", "{.spec.url}");
  }

  @AfterAll
  static void down() throws Exception {
    flux.lab().close();
  }

  static String configMap(String name, String value) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: default\ndata:\n  version: " + value + "\n";
  }

  static String gitRepository(String name, String moreSpec) {
    return """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: %s
          namespace: flux-system
        spec:
          interval: 10m
          url: %s
          secretRef:
            name: workshop-git
        %s""".formatted(name, url, moreSpec.indent(2));
  }

  static String kustomizationOf(String name, String sourceKind, String source, String path, String moreSpec) {
    return FluxWorkbench.kustomization(name, path, moreSpec)
        .replace("kind: GitRepository\n    name: workshop", "kind: " + sourceKind + "\n    name: " + source);
  }

  static String revision(String repository) {
    return flux.get("gitrepository", "flux-system", repository, "{.status.artifact.revision}");
  }

  @Test
  @Order(1)
  void tagsSemverRangesCommitsAndRefNamesResolveToFluxsRevisions() {
    first = flux.push("release one", "release/app.yaml", configMap("release", "v1"));
    flux.git("tag", "v1.0.0").ok();
    flux.git("push", "-q", "origin", "v1.0.0").ok();
    second = flux.push("release two", "release/app.yaml", configMap("release", "v2"));
    flux.git("tag", "-a", "v1.1.0", "-m", "release 1.1.0").ok();
    flux.git("push", "-q", "origin", "v1.1.0").ok();
    flux.apply(gitRepository("by-tag", "ref: {branch: main, tag: v1.0.0}")
        + "---\n" + gitRepository("by-semver", "ref: {semver: '>=1.0.0 <2.0.0'}")
        + "---\n" + gitRepository("by-commit", "ref: {commit: " + first + "}")
        + "---\n" + gitRepository("by-name", "ref: {name: refs/tags/v1.0.0}")
        + "---\n" + kustomizationOf("release", "GitRepository", "by-tag", "./release", ""));
    flux.awaitReady("gitrepository", "by-tag", "True", "stored artifact for revision 'v1.0.0@sha1:" + first + "'");
    flux.awaitReady("gitrepository", "by-semver", "True", "'v1.1.0@sha1:" + second + "'");
    flux.awaitReady("gitrepository", "by-commit", "True", "'sha1:" + first + "'");
    flux.awaitReady("gitrepository", "by-name", "True", "'refs/tags/v1.0.0@sha1:" + first + "'");
    flux.awaitReady("kustomization", "release", "True", "Applied revision: v1.0.0@sha1:" + first);
    assertEquals("v1", flux.get("configmap", "default", "release", "{.data.version}"), "the tag's content, not the branch's");

    String third = flux.push("release three", "release/app.yaml", configMap("release", "v3"));
    flux.git("tag", "v1.2.0").ok();
    flux.git("push", "-q", "origin", "v1.2.0").ok();
    flux.awaitReady("gitrepository", "by-semver", "True", "'v1.2.0@sha1:" + third + "'"); // the tag push nudged it
    assertEquals("v1.0.0@sha1:" + first, revision("by-tag"));
  }

  @Test
  @Order(2)
  void includeCopiesAnotherGitRepositorysArtifact() {
    flux.apply(gitRepository("with-include", """
            ref: {branch: main}
            include:
            - repository: {name: by-tag}
              fromPath: release
              toPath: vendor/release
            """)
        + "---\n" + kustomizationOf("vendored", "GitRepository", "with-include", "./vendor/release", "targetNamespace: kube-public"));
    flux.awaitReady("kustomization", "vendored", "True", "Applied revision: main@sha1:");
    assertEquals("v1", flux.get("configmap", "kube-public", "release", "{.data.version}"));
    assertEquals("v1.0.0@sha1:" + first, flux.get("gitrepository", "flux-system", "with-include", "{.status.includedArtifacts[0].revision}"));
  }

  @Test
  @Order(3)
  void withoutKubectlPlainManifestsBuildAndKustomizeSaysKubectlIsNeeded() {
    flux.push("a kustomization with images, and plain manifests", "kimages/kustomization.yaml",
        "resources: [app.yaml]\nimages:\n- {name: x, newTag: y}\n", "kimages/app.yaml", configMap("kimages", "x"),
        "plain/app.yaml", configMap("plain", "ok"), "plain/more/kustomization.yaml", "resources: [b.yaml]\n",
        "plain/more/b.yaml", configMap("plain-more", "ok"));
    flux.apply(kustomizationOf("prefixed", "GitRepository", "workshop", "./release", "namePrefix: new-")
        + "---\n" + kustomizationOf("kimages", "GitRepository", "workshop", "./kimages", "")
        + "---\n" + kustomizationOf("plain", "GitRepository", "workshop", "./plain", ""));
    String field = flux.awaitReady("kustomization", "prefixed", "False", "spec.namePrefix needs kustomize");
    assertTrue(field.contains("kubectl is not on the lab's PATH"), field);
    String feature = flux.awaitReady("kustomization", "kimages", "False", "kimages/kustomization.yaml uses 'images', which needs kustomize");
    assertTrue(feature.contains("install kubectl"), feature);
    flux.awaitApplied("plain");
    assertTrue(flux.exists("configmap", "default", "plain") && flux.exists("configmap", "default", "plain-more"),
        "without kubectl, plain manifests and a kustomization.yaml of resources only still build");
  }
}
