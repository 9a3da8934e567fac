package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Flux v2.9 release a manifest's controller tags come from. */
class FluxReleasesTest {
  @Test
  void theLatestReleaseIsTheOneDownloaded() {
    assertEquals(FluxManifests.VERSION, FluxReleases.LATEST.version());
  }

  @Test
  void everyReleasesOwnTagsNameIt() {
    for (FluxReleases.Release r : FluxReleases.V2_9) {
      assertEquals(Optional.of(r.version()), FluxReleases.identify(r.tags()), r.toString());
    }
  }

  @Test
  void controllersThatDoNotTellReleasesApartNameEachReleaseTheyFit() {
    // v2.9.2 and v2.9.3 differ in kustomize-, helm-controller only
    assertEquals(Optional.of("v2.9.2 or v2.9.3"), FluxReleases.identify(Map.of("source-controller", "v1.9.3", "image-reflector-controller", "v1.2.3")));
  }

  @Test
  void tagsOfTheV29LineThatNoKnownReleaseBundlesAreV29x() {
    assertEquals(Optional.of("v2.9.x"), FluxReleases.identify(Map.of("source-controller", "v1.9.7", "kustomize-controller", "v1.9.6")));
    assertEquals(Optional.of("v2.9.x"), FluxReleases.identify(Map.of("source-controller", "v1.9.1", "kustomize-controller", "v1.9.4")),
        "a mix of patch releases");
  }

  @Test
  void tagsOfAnotherMinorVersionAreNotV29() {
    assertEquals(Optional.empty(), FluxReleases.identify(Map.of("source-controller", "v1.7.0", "kustomize-controller", "v1.9.4")));
  }

  @Test
  void describesControllersInTheReleasesOrder() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("kustomize-controller", "v1.9.4");
    tags.put("source-controller", "v1.9.4");
    assertEquals("source-controller v1.9.4, kustomize-controller v1.9.4", FluxReleases.describe(tags));
  }
}
