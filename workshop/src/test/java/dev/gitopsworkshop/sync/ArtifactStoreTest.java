package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Artifacts belong to one cluster's source-controller: two clusters in one JVM do not share them. */
class ArtifactStoreTest {
  @Test
  void aGitRepositoryOfTheSameNameInAnotherClusterDoesNotSeeThisOnesArtifact() {
    ArtifactStore first = new ArtifactStore();
    ArtifactStore second = new ArtifactStore();
    ArtifactStore.Artifact artifact = new ArtifactStore.Artifact("main@sha1:" + "a".repeat(40), Map.of(), "first");
    first.put("flux-system", "workshop", artifact);
    assertEquals(artifact, first.get("flux-system", "workshop"));
    assertNull(second.get("flux-system", "workshop"), "the other cluster's store knows nothing of it");
    first.remove("flux-system", "workshop");
    assertNull(first.get("flux-system", "workshop"), "a deleted GitRepository's artifact goes with it");
  }

  @Test
  void anArtifactIsTheSameAsAnotherOnlyForTheSameRevisionAndTheVeryFilesItWasReadInto() {
    byte[] app = "kind: ConfigMap\n".getBytes(StandardCharsets.UTF_8);
    String revision = "main@sha1:" + "a".repeat(40);
    ArtifactStore.Artifact artifact = new ArtifactStore.Artifact(revision, new TreeMap<>(Map.of("app.yaml", app)), "first");
    assertEquals(GitFetcher.digest(Map.of("app.yaml", app)), artifact.digest(), "Flux's digest of its files, computed once");
    assertTrue(artifact.sameAs(revision, new TreeMap<>(Map.of("app.yaml", app))), "another map of the same contents");
    assertFalse(artifact.sameAs(revision, Map.of("app.yaml", app.clone())), "equal bytes read again: not known to be the same");
    assertFalse(artifact.sameAs("main@sha1:" + "b".repeat(40), Map.of("app.yaml", app)), "another revision");
  }
}
