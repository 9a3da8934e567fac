package dev.gitopsworkshop.cluster;

/** How the lab gets its Kubernetes ({@code --cluster}). */
public enum ClusterMode {
  /** k3s when Docker answers, otherwise embedded. */
  AUTO,
  /** An in-process Kubernetes API server with simulated workloads and Flux-compatible controllers. */
  EMBEDDED,
  /** k3s in a container through Testcontainers, with real Flux. */
  K3S,
  /** An existing cluster from a kubeconfig, with real Flux. */
  KUBECONFIG;

  public String label() {
    return name().toLowerCase();
  }
}
