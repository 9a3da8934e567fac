package dev.gitopsworkshop.cluster.embedded;

/**
 * What runs on the embedded cluster's one node, as both sides see it: the kubelet writes it (its
 * containers' output, the ports its pods serve) and the API server answers from it ({@code kubectl
 * logs}, {@code kubectl port-forward}). It lives as long as the cluster; a reset empties it.
 */
public final class NodeRuntime implements AutoCloseable {
  private final ContainerLogs logs = new ContainerLogs();
  private final PodPorts ports = new PodPorts();

  public ContainerLogs logs() {
    return logs;
  }

  public PodPorts ports() {
    return ports;
  }

  /** Every pod is gone (a cluster reset). */
  public void clear() {
    logs.clear();
    ports.clear();
  }

  @Override
  public void close() {
    clear();
    ports.close();
  }
}
