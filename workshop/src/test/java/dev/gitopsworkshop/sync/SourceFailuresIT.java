package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a participant sees when the operator cannot fetch: each mistake of steps 2 and 3 (password,
 * URL, branch, Secret) is reported on the GitRepository with Flux's reason and a message that says
 * what to fix; the Kustomization waiting on a missing source says so too.
 */
class SourceFailuresIT {
  @TempDir static Path tmp;
  static RunningLab lab;
  static String url;

  @BeforeAll
  static void labWithOperator() throws Exception {
    lab = RunningLab.up(tmp);
    lab.installOperator(lab.cloneWorkshop(tmp.resolve("ws")));
    url = lab.kubectl("-n", "flux-system", "get", "gitrepository", "workshop", "-o", "jsonpath={.spec.url}").ok().out().strip();
    awaitReady("True", "");
  }

  @AfterAll
  static void down() throws Exception {
    lab.close();
  }

  @AfterEach
  void repair() {
    setSecret(lab.lab().get("git", "operatorPassword"));
    patchSpec("{\"url\":\"" + url + "\",\"ref\":{\"branch\":\"main\"},\"secretRef\":{\"name\":\"workshop-git\"},\"interval\":\"1m\"}");
    awaitReady("True", "stored artifact for revision 'main@sha1:");
  }

  static String jsonpath(String kind, String name, String path) {
    return lab.kubectl("-n", "flux-system", "get", kind, name, "-o", "jsonpath=" + path).out().strip();
  }

  static String ready(String field) {
    return jsonpath("gitrepository", "workshop", "{.status.conditions[?(@.type==\"Ready\")]." + field + "}");
  }

  static void awaitReady(String status, String messagePart) {
    try {
      await("GitRepository Ready=" + status + " with '" + messagePart + "'").atMost(Duration.ofSeconds(30))
          .until(() -> status.equals(ready("status")) && ready("message").contains(messagePart));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; last seen: Ready=" + ready("status") + " " + ready("message"), e);
    }
  }

  static void patchSpec(String spec) {
    lab.kubectl("-n", "flux-system", "patch", "gitrepository", "workshop", "--type=merge", "-p", "{\"spec\":" + spec + "}").ok();
  }

  static void setSecret(String password) {
    lab.kubectl("-n", "flux-system", "delete", "secret", "workshop-git", "--ignore-not-found").ok();
    lab.kubectl("-n", "flux-system", "create", "secret", "generic", "workshop-git", "--from-literal=username=flux",
        "--from-literal=password=" + password).ok();
    // a changed Secret does not trigger Flux: ask, as 'flux reconcile source git' does
    lab.kubectl("-n", "flux-system", "annotate", "--overwrite", "gitrepository", "workshop",
        "reconcile.fluxcd.io/requestedAt=" + Instant.now()).ok();
  }

  @Test
  void aWrongPasswordIsReportedAsAuthenticationFailed() {
    setSecret("not-the-password");
    awaitReady("False", "authentication required");
    assertEquals("AuthenticationFailed", ready("reason"));
    assertTrue(ready("message").contains("HTTP 401") && ready("message").contains("password"), ready("message"));
    assertEquals("True", jsonpath("gitrepository", "workshop", "{.status.conditions[?(@.type==\"FetchFailed\")].status}"));

    // the lab's log names the object and the failure once, however often the fetch fails the same way
    String again = Instant.now().toString();
    lab.kubectl("-n", "flux-system", "annotate", "--overwrite", "gitrepository", "workshop", "reconcile.fluxcd.io/requestedAt=" + again).ok();
    await("the failing fetch tried again").atMost(Duration.ofSeconds(30))
        .until(() -> again.equals(jsonpath("gitrepository", "workshop", "{.status.lastHandledReconcileAt}")));
    List<String> logged = logLines("(HTTP 401)");
    assertEquals(1, logged.size(), "one line for one failure, however often it happens: " + logged);
    assertTrue(logged.get(0).contains(" WARN ") && logged.get(0).contains("GitRepository flux-system/workshop: AuthenticationFailed"),
        logged.get(0));
  }

  static List<String> logLines(String containing) {
    try (var lines = Files.lines(lab.dataDir().resolve("lab.log"))) {
      return lines.filter(l -> l.contains(containing)).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aWrongUrlIsReportedAsRepositoryNotFound() {
    patchSpec("{\"url\":\"" + url.replace("workshop.git", "no-such-repo.git") + "\"}");
    awaitReady("False", "repository not found");
    assertEquals("GitOperationFailed", ready("reason"));
    assertTrue(ready("message").contains("no-such-repo.git") && ready("message").contains("check spec.url"), ready("message"));
  }

  @Test
  void anUnreachableServerIsSaidSo() {
    patchSpec("{\"url\":\"http://127.0.0.1:1/workshop.git\"}");
    awaitReady("False", "cannot reach the Git server");
    assertTrue(ready("message").contains("127.0.0.1:1"), ready("message"));
  }

  @Test
  void anIntervalOfZeroIsRefusedNamingTheFieldInsteadOfLoopingHot() {
    patchSpec("{\"interval\":\"0s\"}");
    awaitReady("False", "spec.interval 0s is refused");
    assertEquals("InvalidInterval", ready("reason"));
    assertTrue(ready("message").contains("--cluster k3s"), ready("message"));
    assertEquals(1, logLines("spec.interval 0s is refused").size(), "refused once, not in a loop");
  }

  @Test
  void aMissingBranchIsNamed() {
    patchSpec("{\"ref\":{\"branch\":\"production\"}}");
    awaitReady("False", "the repository has no branch 'production'");
    assertEquals("GitOperationFailed", ready("reason"));
  }

  @Test
  void aMissingSecretIsNamed() {
    patchSpec("{\"secretRef\":{\"name\":\"workshop-creds\"}}");
    awaitReady("False", "secrets \"workshop-creds\" not found");
    assertEquals("AuthenticationFailed", ready("reason"));
  }

  @Test
  void aKustomizationWhoseSourceIsMissingSaysWhich() throws Exception {
    Path file = tmp.resolve("orphan.yaml");
    Files.writeString(file, """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: orphan
          namespace: flux-system
        spec:
          interval: 1m
          sourceRef:
            kind: GitRepository
            name: workshop-typo
          path: ./deploy/kubernetes
          prune: true
        """);
    lab.kubectl("apply", "-f", file.toString()).ok();
    await("orphan Kustomization not ready").atMost(Duration.ofSeconds(30))
        .until(() -> "False".equals(jsonpath("kustomization", "orphan", "{.status.conditions[?(@.type==\"Ready\")].status}")));
    assertEquals("ArtifactFailed", jsonpath("kustomization", "orphan", "{.status.conditions[?(@.type==\"Ready\")].reason}"));
    assertEquals("Source 'GitRepository/workshop-typo' not found",
        jsonpath("kustomization", "orphan", "{.status.conditions[?(@.type==\"Ready\")].message}"));
    lab.kubectl("delete", "-f", file.toString()).ok();
  }
}
