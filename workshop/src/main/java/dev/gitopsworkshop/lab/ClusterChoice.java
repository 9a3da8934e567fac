package dev.gitopsworkshop.lab;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a lab needs beyond its mode to reach a real cluster and install real Flux.
 *
 * @param kubeconfig {@code --kubeconfig}: the existing cluster's kubeconfig (kubeconfig mode)
 * @param context {@code --context}; null: the kubeconfig's current one
 * @param gitAdvertiseUrl {@code --git-advertise-url}: the Git server as the cluster reaches it; null: the host's URL
 * @param keepCluster {@code --keep-cluster}: leave the k3s container running for reuse
 * @param fluxManifests {@code --flux-manifests}: Flux's install manifest; null: the release's (k3s,
 *     kubeconfig) or the project's offline one (embedded)
 * @param k3sTimeout {@code --k3s-timeout}: how long k3s may take to be ready; null: the default
 */
public record ClusterChoice(Path kubeconfig, String context, String gitAdvertiseUrl, boolean keepCluster, Path fluxManifests,
    Duration k3sTimeout) {
  public static final ClusterChoice DEFAULTS = new ClusterChoice(null, null, null, false, null, null);
}
