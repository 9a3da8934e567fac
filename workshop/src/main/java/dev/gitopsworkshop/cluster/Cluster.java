package dev.gitopsworkshop.cluster;

import dev.gitopsworkshop.WorkshopException;
import java.nio.file.Path;

/** The lab's Kubernetes, whatever runs it. The tutorial never sees which mode this is. */
public interface Cluster extends AutoCloseable {
  ClusterMode mode();

  /** A kubeconfig for this cluster, written into the data dir. */
  Path kubeconfig();

  String apiUrl();

  /** The URL the cluster's workloads (Flux) use to reach a URL the host serves. */
  String reachableFromCluster(String hostUrl);

  /**
   * Throws this cluster away and puts a new, empty one in its place, as when a production cluster
   * is lost (the instructor's {@code demo disaster}). Afterwards {@link #kubeconfig()} reaches the new
   * one (the file may be rewritten). A cluster the lab did not create (kubeconfig mode) may only
   * lose what the lab put there, and only when {@code mayDeleteNamespaces} says so.
   *
   * @return what was done, in one line for the instructor's timeline
   */
  default String replace(boolean mayDeleteNamespaces) {
    throw new WorkshopException("a " + mode().label() + " cluster cannot be replaced by this version",
        "use an embedded lab ('scripts/workshop up --cluster embedded') for the disaster demo");
  }

  @Override
  void close();
}
