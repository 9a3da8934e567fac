package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * (tag, semver, commit, ref name) and their revisions, ignore rules, includes, sourceRef kinds, and
 * the fields that are refused. The lab runs without kubectl on its PATH, so that the builds here
 * (plain manifests) also show the build without kustomize, and what it refuses.
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
  void anInvalidSemverRangeAMissingTagAndACommitNotOnTheBranchAreReported() {
    flux.apply(gitRepository("bad-range", "ref: {semver: '>= one'}")
        + "---\n" + gitRepository("no-match", "ref: {semver: '>=5.0.0'}")
        + "---\n" + gitRepository("no-tag", "ref: {tag: v9.9.9}")
        + "---\n" + gitRepository("bad-commit", "ref: {branch: main, commit: '" + "d".repeat(40) + "'}"));
    String range = flux.awaitReady("gitrepository", "bad-range", "False", "semver parse error: improper constraint");
    assertTrue(range.contains("spec.ref.semver"), range);
    assertEquals("GitOperationFailed", flux.ready("gitrepository", "bad-range", "reason"));
    flux.awaitReady("gitrepository", "no-match", "False", "no match found for semver: >=5.0.0");
    flux.awaitReady("gitrepository", "no-tag", "False", "the repository has no tag 'v9.9.9'");
    flux.awaitReady("gitrepository", "bad-commit", "False", "unable to resolve commit object for '" + "d".repeat(40) + "'");
  }

  @Test
  @Order(3)
  void ciFilesAndIgnoredPathsAreLeftOutOfTheArtifact() {
    flux.push("an app with a CI workflow and a draft",
        "ci/.github/workflows/ci.yaml", "on: push\njobs:\n  test: {runs-on: ubuntu-latest}\n",
        "ci/app.yaml", configMap("ci-app", "ok"),
        "ci/drafts/draft.yaml", configMap("ci-draft", "draft"));
    flux.apply(kustomizationOf("ci", "GitRepository", "workshop", "./ci", "")
        + "---\n" + gitRepository("ignoring", "ref: {branch: main}\nignore: |\n  /ci/drafts/\n  .github/")
        + "---\n" + kustomizationOf("ci-ignoring", "GitRepository", "ignoring", "./ci", "targetNamespace: kube-public"));
    flux.awaitApplied("ci");
    assertTrue(flux.exists("configmap", "default", "ci-draft"), "without ignore rules the draft is applied");
    flux.awaitReady("kustomization", "ci-ignoring", "True", "Applied revision");
    assertTrue(flux.exists("configmap", "kube-public", "ci-app"));
    assertFalse(flux.exists("configmap", "kube-public", "ci-draft"), "spec.ignore left the draft out");

    flux.push("a .sourceignore", "ci/.sourceignore", "drafts/\n.github/\n");
    flux.awaitApplied("ci");
    assertFalse(flux.exists("configmap", "default", "ci-draft"), "the .sourceignore left the draft out, and prune removed it");
  }

  @Test
  @Order(4)
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
  @Order(5)
  void aSourceRefOfAnotherKindIsNotReadAsTheGitRepositoryOfThatName() {
    flux.apply(kustomizationOf("from-oci", "OCIRepository", "workshop", "./release", ""));
    String message = flux.awaitReady("kustomization", "from-oci", "False", "Source 'OCIRepository/workshop' not found");
    assertEquals("ArtifactFailed", flux.ready("kustomization", "from-oci", "reason"));
    assertFalse(message.contains("Applied"), message);
  }

  @Test
  @Order(6)
  void fieldsTheEmbeddedOperatorDoesNotHonourAreRefusedByName() {
    flux.kubectl("-n", "flux-system", "create", "secret", "generic", "token", "--from-literal=bearerToken=abc").ok();
    flux.apply(gitRepository("verified", "ref: {branch: main}\nverify: {mode: HEAD, secretRef: {name: pgp-keys}}")
        + "---\n" + gitRepository("submodules", "ref: {branch: main}\nrecurseSubmodules: true")
        + "---\n" + gitRepository("github-app", "ref: {branch: main}\nprovider: github")
        + "---\n" + gitRepository("over-ssh", "ref: {branch: main}").replace(url, "ssh://git@127.0.0.1/workshop.git")
        + "---\n" + gitRepository("bearer", "ref: {branch: main}").replace("name: workshop-git", "name: token"));
    for (String[] refusal : new String[][] {{"verified", "spec.verify"}, {"submodules", "spec.recurseSubmodules"},
        {"github-app", "spec.provider 'github'"}, {"over-ssh", "an SSH spec.url"}, {"bearer", "bearerToken in the Secret 'flux-system/token'"}}) {
      String message = flux.awaitReady("gitrepository", refusal[0], "False", refusal[1] + " is not supported by the embedded operator");
      assertEquals("UnsupportedField", flux.ready("gitrepository", refusal[0], "reason"));
      assertTrue(message.endsWith("--cluster k3s for real Flux"), message);
    }
    assertEquals("True", flux.get("gitrepository", "flux-system", "verified", "{.status.conditions[?(@.type==\"Stalled\")].status}"),
        "a refusal stalls the object, as only a change of spec can mend it");
  }

  @Test
  @Order(7)
  void withoutKubectlPlainManifestsBuildAndKustomizeSaysKubectlIsNeeded() {
    flux.push("a kustomization with images", "kimages/kustomization.yaml", "resources: [app.yaml]\nimages:\n- {name: x, newTag: y}\n",
        "kimages/app.yaml", configMap("kimages", "x"));
    flux.apply(kustomizationOf("prefixed", "GitRepository", "workshop", "./release", "namePrefix: new-")
        + "---\n" + kustomizationOf("kimages", "GitRepository", "workshop", "./kimages", ""));
    String field = flux.awaitReady("kustomization", "prefixed", "False", "spec.namePrefix needs kustomize");
    assertTrue(field.contains("kubectl is not on the lab's PATH"), field);
    String feature = flux.awaitReady("kustomization", "kimages", "False", "kimages/kustomization.yaml uses 'images', which needs kustomize");
    assertTrue(feature.contains("install kubectl"), feature);
    flux.kubectl("-n", "flux-system", "annotate", "--overwrite", "kustomization", "ci", "reconcile.fluxcd.io/requestedAt=" + Instant.now()).ok();
    flux.awaitApplied("ci");
  }
}
