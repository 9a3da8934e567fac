package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
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
}
