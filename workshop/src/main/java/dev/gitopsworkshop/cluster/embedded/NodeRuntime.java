package dev.gitopsworkshop.cluster.embedded;

/**
 * What runs on the embedded cluster's one node, as both sides see it: the kubelet writes it (its
 * containers' output, the ports its pods serve) and the API server answers from it ({@code kubectl
 * logs}, {@code kubectl port-forward}). It lives as long as the cluster; a reset empties it.
 */
public final class NodeRuntime {
  private final ContainerLogs logs = new ContainerLogs();

  public ContainerLogs logs() {
    return logs;
  }

  /** Every pod is gone (a cluster reset). */
  public void clear() {
    logs.clear();
  }
}
