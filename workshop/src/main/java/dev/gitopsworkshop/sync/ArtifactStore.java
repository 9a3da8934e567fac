package dev.gitopsworkshop.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the embedded source controller keeps its artifacts (the tree of a fetched revision) for the
 * embedded kustomize controller, in process; real Flux serves them over HTTP from
 * source-controller's storage. One store a cluster (its Flux runtimes share it), so that two
 * clusters in one JVM never read each other's GitRepository of the same name.
 */
final class ArtifactStore {
  /**
   * One fetched revision: {@code main@sha1:<sha>}, its files by path, and their digest in Flux's
   * shape ({@link GitFetcher#digest}), computed once.
   */
  record Artifact(String revision, Map<String, byte[]> files, String commitSubject, String digest) {
    Artifact(String revision, Map<String, byte[]> files, String commitSubject) {
      this(revision, files, commitSubject, GitFetcher.digest(files));
    }

    /** The same revision and the very same file contents (read once, not merely equal): nothing to build again. */
    boolean sameAs(String otherRevision, Map<String, byte[]> otherFiles) {
      return revision.equals(otherRevision) && files.equals(otherFiles);
    }
  }

  private final Map<String, Artifact> artifacts = new ConcurrentHashMap<>();

  void put(String namespace, String name, Artifact artifact) {
    artifacts.put(namespace + "/" + name, artifact);
  }

  Artifact get(String namespace, String name) {
    return artifacts.get(namespace + "/" + name);
  }

  /** The GitRepository is gone: so is its artifact. */
  void remove(String namespace, String name) {
    artifacts.remove(namespace + "/" + name);
  }
}
