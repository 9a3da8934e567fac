package dev.gitopsworkshop.sync;

import java.util.List;
import java.util.Map;

/**
 * The kinds a Kustomization's {@code sourceRef} may name (Flux's enum), and the core kinds its
 * build reads. Only GitRepository has an embedded controller; the others exist when their CRDs are
 * installed, and never have an artifact here.
 */
final class SourceKinds {
  static final List<String> NAMES = List.of("GitRepository", "OCIRepository", "Bucket", "ExternalArtifact");
  private static final Map<String, FluxApi.Kind> SOURCES = Map.of(
      "GitRepository", FluxApi.GIT_REPOSITORY,
      "OCIRepository", new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "OCIRepository", "ocirepositories", true),
      "Bucket", new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "Bucket", "buckets", true),
      "ExternalArtifact", new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "externalartifacts", true));
  private static final Map<String, FluxApi.Kind> CORE = Map.of(
      "ConfigMap", new FluxApi.Kind("v1", "ConfigMap", "configmaps", true),
      "Secret", FluxApi.SECRET,
      "ServiceAccount", new FluxApi.Kind("v1", "ServiceAccount", "serviceaccounts", true));

  private SourceKinds() {}

  /** The source kind of that name, or null when Flux has none. */
  static FluxApi.Kind of(String kind) {
    return SOURCES.get(kind);
  }

  /** A core kind the build reads (ConfigMap, Secret, ServiceAccount). */
  static FluxApi.Kind core(String kind) {
    FluxApi.Kind k = CORE.get(kind);
    if (k == null) {
      throw new IllegalArgumentException("not a kind the build reads: " + kind);
    }
    return k;
  }
}
