package dev.gitopsworkshop.sync.image;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tutorial step 8 on an embedded lab, as the participant and the instructor see it: the real git
 * and kubectl, the {@code registry tag} command, and the objects' status through the API.
 */
class ImageAutomationIT {
  private static final Duration SOON = Duration.ofSeconds(30);
  @TempDir Path tmp;

  private static String image(RunningLab lab) {
    return lab.kubectl("get", "deployment", "podinfo", "-o", "jsonpath={.spec.template.spec.containers[0].image}").ok().out();
  }

  private static String head(RunningLab lab, Path clone) {
    return lab.cli().git(clone, "ls-remote", "origin", "refs/heads/main").ok().out().split("\\s")[0];
  }

  @Test
  void theOperatorCommitsTheNewestAllowedTagAndFollowsNewTagsOnlyInRange() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli cli = lab.cli();
      String dir = "--data-dir=" + lab.dataDir();
      Path clone = lab.cloneWorkshop(tmp.resolve("participant"));
      cli.run(tmp, cli.workshop("run", "--auto", dir)).ok();

      // the participant's clone receives the operator's commit with git pull
      cli.git(clone, "pull", "-q").ok();
      assertEquals("fluxcdbot <fluxcdbot@users.noreply.github.com>: Update image from flux-system/workshop",
          cli.git(clone, "log", "-1", "--format=%an <%ae>: %s").ok().out().strip());
      String diff = cli.git(clone, "show", "--format=", "--unified=0", "HEAD").ok().out();
      List<String> changed = diff.lines().filter(l -> l.matches("^[-+] .*")).toList();
      assertEquals(List.of(
          "-          image: ghcr.io/stefanprodan/podinfo:6.5.0 # {\"$imagepolicy\": \"flux-system:podinfo\"}",
          "+          image: ghcr.io/stefanprodan/podinfo:6.5.4 # {\"$imagepolicy\": \"flux-system:podinfo\"}"), changed, diff);
      assertEquals("ghcr.io/stefanprodan/podinfo:6.5.4", image(lab));
      lab.kubectl("rollout", "status", "deployment/podinfo", "--timeout=30s").ok();
      String printed = lab.kubectl("-n", "flux-system", "get", "imagepolicy", "podinfo").ok().out();
      assertTrue(printed.contains("ghcr.io/stefanprodan/podinfo") && printed.contains("6.5.4") && printed.contains("True"), printed);

      // a new tag in range: a new commit and a rollout
      Cli.Result tagged = cli.run(tmp, cli.workshop("registry", "tag", "podinfo", "6.5.9", dir)).ok();
      assertTrue(tagged.out().contains("published stefanprodan/podinfo:6.5.9"), tagged.out());
      await("the automation's commit for 6.5.9 and its rollout").atMost(SOON)
          .until(() -> image(lab).equals("ghcr.io/stefanprodan/podinfo:6.5.9"));
      lab.kubectl("rollout", "status", "deployment/podinfo", "--timeout=30s").ok();
      cli.git(clone, "pull", "-q").ok();
      assertTrue(cli.git(clone, "log", "-1", "--format=%b").ok().out().contains("podinfo:6.5.4 -> ghcr.io/stefanprodan/podinfo:6.5.9"));

      // a tag outside the policy: scanned, but nothing changes
      String before = head(lab, clone);
      String count = lab.kubectl("-n", "flux-system", "get", "imagerepository", "podinfo", "-o", "jsonpath={.status.lastScanResult.tagCount}").ok().out();
      cli.run(tmp, cli.workshop("registry", "tag", "podinfo", "6.6.9", dir)).ok();
      await("the scan that sees 6.6.9").atMost(SOON).until(() -> !count.equals(
          lab.kubectl("-n", "flux-system", "get", "imagerepository", "podinfo", "-o", "jsonpath={.status.lastScanResult.tagCount}").ok().out()));
      assertEquals("6.5.9", lab.kubectl("-n", "flux-system", "get", "imagepolicy", "podinfo", "-o", "jsonpath={.status.latestRef.tag}").ok().out());
      assertEquals(before, head(lab, clone), "no commit for a tag outside 6.5.x");
      assertEquals("ghcr.io/stefanprodan/podinfo:6.5.9", image(lab));
      assertTrue(cli.run(tmp, cli.workshop("registry", "tags", dir)).ok().out().lines().toList().containsAll(List.of("6.5.9", "6.6.9")));
    }
  }

  @Test
  void anInvalidRangeAndAnUnreachableRegistryAreReportedAndCommitNothing() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      Cli cli = lab.cli();
      String dir = "--data-dir=" + lab.dataDir();
      cli.run(tmp, cli.workshop("run", "--auto", dir)).ok();
      Path clone = lab.cloneWorkshop(tmp.resolve("participant"));
      String before = head(lab, clone);

      Path bad = tmp.resolve("bad.yaml");
      Files.writeString(bad, """
          apiVersion: image.toolkit.fluxcd.io/v1
          kind: ImagePolicy
          metadata: {name: broken-range, namespace: flux-system}
          spec:
            imageRepositoryRef: {name: podinfo}
            policy: {semver: {range: "6.5.y"}}
          ---
          apiVersion: image.toolkit.fluxcd.io/v1
          kind: ImageRepository
          metadata: {name: nowhere, namespace: flux-system}
          spec: {image: "127.0.0.1:9/nobody/nothing", interval: 1m, insecure: true}
          ---
          apiVersion: image.toolkit.fluxcd.io/v1
          kind: ImagePolicy
          metadata: {name: nowhere, namespace: flux-system}
          spec:
            imageRepositoryRef: {name: nowhere}
            policy: {semver: {range: ">=1.0.0"}}
          """);
      lab.kubectl("apply", "-f", bad.toString()).ok();
      String ready = "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].message}";
      await("the invalid range reported").atMost(SOON).until(() ->
          lab.kubectl("-n", "flux-system", "get", "imagepolicy", "broken-range", "-o", ready).ok().out().startsWith("False"));
      String range = lab.kubectl("-n", "flux-system", "get", "imagepolicy", "broken-range", "-o", ready).ok().out();
      assertTrue(range.contains("invalid semver range") && range.contains("6.5.y"), range);

      await("the unreachable registry reported").atMost(SOON).until(() ->
          lab.kubectl("-n", "flux-system", "get", "imagerepository", "nowhere", "-o", ready).ok().out().startsWith("False"));
      String repo = lab.kubectl("-n", "flux-system", "get", "imagerepository", "nowhere", "-o", ready).ok().out();
      assertTrue(repo.contains("cannot reach the registry http://127.0.0.1:9"), repo);
      await("the policy on it waits for it").atMost(SOON).until(() ->
          lab.kubectl("-n", "flux-system", "get", "imagepolicy", "nowhere", "-o", ready).ok().out().contains("has not been scanned"));
      assertEquals(before, head(lab, clone), "no commit from a broken policy or registry");
      assertEquals("ghcr.io/stefanprodan/podinfo:6.5.4", image(lab));
    }
  }
}
