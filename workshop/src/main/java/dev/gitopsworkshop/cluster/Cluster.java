package dev.gitopsworkshop.cluster;

import java.nio.file.Path;

/** The lab's Kubernetes, whatever runs it. The tutorial never sees which mode this is. */
public interface Cluster extends AutoCloseable {
  ClusterMode mode();

  /** A kubeconfig for this cluster, written into the data dir. */
  Path kubeconfig();

  String apiUrl();

  /** The URL the cluster's workloads (Flux) use to reach a URL the host serves. */
  String reachableFromCluster(String hostUrl);

  @Override
  void close();
}
