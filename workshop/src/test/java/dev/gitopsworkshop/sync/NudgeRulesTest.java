package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.git.PushEvent;
import dev.gitopsworkshop.sync.source.GitReference;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which GitRepository a push nudges, which change is drift, and how inventory ids read. */
class NudgeRulesTest {
  static PushEvent push(String repository, String ref) {
    return new PushEvent(repository, ref, "0".repeat(40), "1".repeat(40), "participant", Instant.now());
  }

  @Test
  void nudgesTheGitRepositoryFollowingThePushedRepositoryAndBranch() {
    PushEvent push = push("workshop.git", "refs/heads/main");
    assertTrue(NudgeRules.followsPush("http://127.0.0.1:8080/workshop.git", "main", push));
    assertTrue(NudgeRules.followsPush("http://host.testcontainers.internal:8080/workshop.git/", "main", push));
    assertTrue(NudgeRules.followsPush("http://127.0.0.1:8080/workshop", "main", push("workshop", "refs/heads/main")));
  }

  @Test
  void leavesOtherRepositoriesBranchesAndTagsAlone() {
    assertFalse(NudgeRules.followsPush("http://127.0.0.1:8080/other.git", "main", push("workshop.git", "refs/heads/main")));
    assertFalse(NudgeRules.followsPush("http://127.0.0.1:8080/my-workshop.git", "main", push("workshop.git", "refs/heads/main")));
    assertFalse(NudgeRules.followsPush("http://127.0.0.1:8080/workshop.git", "main", push("workshop.git", "refs/heads/dev")));
    assertFalse(NudgeRules.followsPush("http://127.0.0.1:8080/workshop.git", "main", push("workshop.git", "refs/tags/main")));
  }

  @Test
  void tagsSemverRangesRefNamesAndCommitsFollowTheirOwnRefs() throws Exception {
    String url = "http://h/workshop.git";
    assertTrue(NudgeRules.followsPush(url, ref("{\"tag\": \"v1\", \"branch\": \"main\"}"), push("workshop.git", "refs/tags/v1")));
    assertFalse(NudgeRules.followsPush(url, ref("{\"tag\": \"v1\", \"branch\": \"main\"}"), push("workshop.git", "refs/heads/main")));
    assertTrue(NudgeRules.followsPush(url, ref("{\"semver\": \">=1.0.0\"}"), push("workshop.git", "refs/tags/v1.2.0")));
    assertTrue(NudgeRules.followsPush(url, ref("{\"name\": \"refs/pull/1/head\"}"), push("workshop.git", "refs/pull/1/head")));
    assertTrue(NudgeRules.followsPush(url, ref("{\"commit\": \"abc\"}"), push("workshop.git", "refs/heads/dev")));
  }

  static GitReference ref(String json) throws Exception {
    return GitReference.of(Mappers.JSON.readTree(json));
  }

  @Test
  void aGitRepositoryWithoutABranchFollowsMasterAsFluxDoes() {
    assertTrue(NudgeRules.followsPush("http://h/workshop.git", (String) null, push("workshop.git", "refs/heads/master")));
    assertFalse(NudgeRules.followsPush("http://h/workshop.git", "", push("workshop.git", "refs/heads/main")));
  }

  @Test
  void deletionAndSpecChangesAreDriftStatusChangesAreNot() {
    assertTrue(NudgeRules.isDrift("DELETED", null, 3));
    assertTrue(NudgeRules.isDrift("MODIFIED", 2L, 3));
    assertFalse(NudgeRules.isDrift("MODIFIED", 3L, 3), "a status update keeps the generation");
    assertFalse(NudgeRules.isDrift("MODIFIED", null, 3), "first sight of an object is not drift");
    assertFalse(NudgeRules.isDrift("ADDED", null, 1));
  }

  @Test
  void readsFluxInventoryIds() {
    NudgeRules.InventoryEntry deployment = NudgeRules.InventoryEntry.parse("default_podinfo_apps_Deployment", "v1").orElseThrow();
    assertEquals("apps/v1", deployment.apiVersion());
    assertEquals("default", deployment.namespace());
    assertEquals("default_podinfo_apps_Deployment", deployment.id());
    NudgeRules.InventoryEntry namespace = NudgeRules.InventoryEntry.parse("_team-a__Namespace", "v1").orElseThrow();
    assertEquals("v1", namespace.apiVersion());
    assertEquals("", namespace.namespace());
    assertTrue(NudgeRules.InventoryEntry.parse("podinfo_Deployment", "v1").isEmpty());
  }
}
