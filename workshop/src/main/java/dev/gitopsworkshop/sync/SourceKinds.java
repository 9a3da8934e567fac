package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.KubeKind;
import java.util.List;
import java.util.Map;

/**
 * The kinds a Kustomization's {@code sourceRef} may name (Flux's enum), and the core kinds its
 * build reads. Only GitRepository has an embedded controller; the others exist when their CRDs are
 * installed, and never have an artifact here.
 */
final class SourceKinds {
  static final List<String> NAMES = List.of("GitRepository", "OCIRepository", "Bucket", "ExternalArtifact");
  private static final Map<String, KubeKind> SOURCES = Map.of(
      "GitRepository", FluxKinds.GIT_REPOSITORY,
      "OCIRepository", KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "OCIRepository", "ocirepositories"),
      "Bucket", KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "Bucket", "buckets"),
      "ExternalArtifact", KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "externalartifacts"));
  private static final Map<String, KubeKind> CORE = Map.of(
      "ConfigMap", KubeKind.namespaced("v1", "ConfigMap", "configmaps"),
      "Secret", FluxKinds.SECRET,
      "ServiceAccount", KubeKind.namespaced("v1", "ServiceAccount", "serviceaccounts"));

  private SourceKinds() {}

  /** The source kind of that name, or null when Flux has none. */
  static KubeKind of(String kind) {
    return SOURCES.get(kind);
  }

  /** A core kind the build reads (ConfigMap, Secret, ServiceAccount). */
  static KubeKind core(String kind) {
    KubeKind k = CORE.get(kind);
    if (k == null) {
      throw new IllegalArgumentException("not a kind the build reads: " + kind);
    }
    return k;
  }
}
