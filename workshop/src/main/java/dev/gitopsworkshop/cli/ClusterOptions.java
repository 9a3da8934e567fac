package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.k3s.K3sCluster;
import dev.gitopsworkshop.lab.ClusterChoice;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Which Kubernetes a new lab uses, and how it reaches a real one: shared by {@code up} and {@code run}. */
public final class ClusterOptions {
  @Option(names = "--cluster", paramLabel = "MODE", defaultValue = "auto",
      description = "Which Kubernetes: auto (default: k3s when Docker answers, else embedded), embedded (in "
          + "this process, offline), k3s (in Docker, real Flux) or kubeconfig (an existing cluster, real Flux).")
  ClusterMode cluster;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "With --cluster kubeconfig: the existing cluster's kubeconfig (kind, k3d, minikube, a cloud one).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "With --cluster kubeconfig: the kubeconfig's context to use. Default: its current context.")
  String context;

  @Option(names = "--git-advertise-url", paramLabel = "URL",
      description = "With --cluster kubeconfig: the Git server's address as the cluster reaches it "
          + "(e.g. http://host.docker.internal:PORT for kind). Default: the address on this machine.")
  String gitAdvertiseUrl;

  @Option(names = "--flux-manifests", paramLabel = "FILE",
      description = "Flux's install.yaml to use (offline rooms). Default: the release's, downloaded once into "
          + "the user's cache (k3s, kubeconfig), or the project's offline one (embedded).")
  Path fluxManifests;

  @Option(names = "--keep-cluster",
      description = "With k3s: leave the container running when the lab stops, and reuse it next time.")
  boolean keepCluster;

  @Option(names = "--k3s-timeout", paramLabel = "MINUTES",
      description = "With k3s: how long it may take to be ready (a first start on a laptop takes minutes). Default: "
          + K3sCluster.DEFAULT_STARTUP_MINUTES + ".")
  Integer k3sTimeout;

  public ClusterMode mode() {
    return cluster;
  }

  /** The options, checked against the mode: a usage error for an option the mode does not use. */
  public ClusterChoice choice() {
    if (cluster != ClusterMode.KUBECONFIG) {
      for (String[] given : new String[][] {
          {"--kubeconfig", kubeconfig == null ? null : kubeconfig.toString()}, {"--context", context},
          {"--git-advertise-url", gitAdvertiseUrl}}) {
        if (given[1] != null) {
          throw WorkshopException.usage(given[0] + " is for an existing cluster, and --cluster is " + cluster.label(),
              "add --cluster kubeconfig (or leave " + given[0] + " out)");
        }
      }
    } else if (kubeconfig == null) {
      throw WorkshopException.usage("--cluster kubeconfig needs --kubeconfig FILE",
          "give the existing cluster's kubeconfig, e.g. --kubeconfig ~/.kube/config");
    }
    if (keepCluster && cluster != ClusterMode.K3S && cluster != ClusterMode.AUTO) {
      throw WorkshopException.usage("--keep-cluster keeps a k3s container, and --cluster is " + cluster.label(),
          "leave --keep-cluster out, or use --cluster k3s");
    }
    if (k3sTimeout != null && cluster != ClusterMode.K3S && cluster != ClusterMode.AUTO) {
      throw WorkshopException.usage("--k3s-timeout is for a k3s cluster, and --cluster is " + cluster.label(),
          "leave --k3s-timeout out, or use --cluster k3s");
    }
    if (k3sTimeout != null && k3sTimeout < 1) {
      throw WorkshopException.usage("--k3s-timeout " + k3sTimeout + ": give a number of minutes, at least 1",
          "e.g. --k3s-timeout 10 for a slow laptop");
    }
    return new ClusterChoice(kubeconfig, context, gitAdvertiseUrl, keepCluster, fluxManifests,
        k3sTimeout == null ? null : Duration.ofMinutes(k3sTimeout));
  }
}
