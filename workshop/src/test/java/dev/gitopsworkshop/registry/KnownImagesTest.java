package dev.gitopsworkshop.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KnownImagesTest {
  private final KnownImages images = KnownImages.load();

  @Test
  void podinfosReleasedTagsExistAndOthersDoNot() {
    assertTrue(images.exists("ghcr.io/stefanprodan/podinfo:6.5.0"));
    assertTrue(images.exists("ghcr.io/stefanprodan/podinfo:6.14.1"));
    assertTrue(images.exists("stefanprodan/podinfo:6.9.4"));
    assertFalse(images.exists("ghcr.io/stefanprodan/podinfo:6.5.99"));
    assertFalse(images.exists("ghcr.io/stefanprodan/podinfo"), "no tag: nothing the lab can vouch for");
  }

  @Test
  void imagesTheLabDoesNotTrackAreTakenToExist() {
    assertTrue(images.exists("ghcr.io/fluxcd/source-controller:v1.9.1"));
    assertTrue(images.exists("nginx"));
    assertTrue(images.exists("ghcr.io/stefanprodan/podinfo@sha256:0123"));
  }
}
