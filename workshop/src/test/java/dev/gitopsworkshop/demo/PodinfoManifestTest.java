package dev.gitopsworkshop.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PodinfoManifestTest {
  @Test
  void theBadImageIsTheSameRepositoryWithAnotherTag() {
    assertEquals("ghcr.io/stefanprodan/podinfo:6.5.99", PodinfoManifest.withTag("ghcr.io/stefanprodan/podinfo:6.5.0", "6.5.99"));
    assertEquals("localhost:5000/podinfo:6.5.99", PodinfoManifest.withTag("localhost:5000/podinfo", "6.5.99"),
        "a registry port is not a tag");
    assertEquals("ghcr.io/stefanprodan/podinfo:6.5.99", PodinfoManifest.withTag("ghcr.io/stefanprodan/podinfo@sha256:0123", "6.5.99"));
  }
}
