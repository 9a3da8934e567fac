package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.cluster.embedded.ContainerRuntime;
import org.junit.jupiter.api.Test;

/** Flux's small vocabularies: Go durations, controller image names. */
class FluxUnitsTest {
  @Test
  void parsesIntervalsAsFluxWritesThem() {
    assertEquals(60_000, FluxStatus.durationMillis("1m", -1));
    assertEquals(90_000, FluxStatus.durationMillis("1m30s", -1));
    assertEquals(3_600_000 + 5_000, FluxStatus.durationMillis("1h5s", -1));
    assertEquals(500, FluxStatus.durationMillis("500ms", -1));
    assertEquals(-1, FluxStatus.durationMillis("soon", -1));
    assertEquals(-1, FluxStatus.durationMillis("", -1));
  }

  @Test
  void recognisesFluxControllerImagesWithAnyTagOrRegistry() {
    ContainerRuntime source = FluxRuntimes.imageMatcher("fluxcd/source-controller");
    assertTrue(source.runs("ghcr.io/fluxcd/source-controller:v1.9.1"));
    assertTrue(source.runs("fluxcd/source-controller"));
    assertTrue(source.runs("docker.io/fluxcd/source-controller@sha256:abc"));
    assertFalse(source.runs("ghcr.io/fluxcd/kustomize-controller:v1.9.4"));
    assertFalse(source.runs("example.com/notfluxcd/source-controller:v1"));
  }
}
