package dev.gitopsworkshop.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the embedded source controller keeps its artifacts (the tree of a fetched revision) for the
 * embedded kustomize controller, in process; real Flux serves them over HTTP from
 * source-controller's storage.
 */
final class ArtifactStore {
  /** One fetched revision: {@code main@sha1:<sha>} and its files by path. */
  record Artifact(String revision, Map<String, byte[]> files, String commitSubject) {}

  private static final Map<String, Artifact> ARTIFACTS = new ConcurrentHashMap<>();

  private ArtifactStore() {}

  static void put(String namespace, String name, Artifact artifact) {
    ARTIFACTS.put(namespace + "/" + name, artifact);
  }

  static Artifact get(String namespace, String name) {
    return ARTIFACTS.get(namespace + "/" + name);
  }
}
