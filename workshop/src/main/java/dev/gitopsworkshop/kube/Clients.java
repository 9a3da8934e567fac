package dev.gitopsworkshop.kube;

import dev.gitopsworkshop.WorkshopException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * fabric8 clients (JDK HTTP client, watches over plain HTTP streaming as kubectl's): from a
 * kubeconfig for the parts that talk to any cluster, or as a controller in a pod gets one.
 */
public final class Clients {
  private Clients() {}

  /** A client for the kubeconfig's current context; watches over plain HTTP streaming, as kubectl's. */
  public static KubernetesClient fromKubeconfig(Path kubeconfig) {
    try {
      return fromKubeconfigText(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new WorkshopException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(),
          "is the lab running? start it with 'scripts/workshop up' (or point --data-dir at a running lab)", e);
    }
  }

  /**
   * A client as a controller in a pod gets one: the API's URL, the pod's service account token and
   * the cluster's CA, the in-cluster configuration of a real Flux controller.
   */
  public static KubernetesClient forEmbedded(String apiUrl, String token, String caPem) {
    StringBuilder kubeconfig = new StringBuilder()
        .append("apiVersion: v1\nkind: Config\ncurrent-context: controller\n")
        .append("clusters:\n- name: cluster\n  cluster:\n    server: \"").append(apiUrl).append("\"\n");
    if (caPem != null) {
      kubeconfig.append("    certificate-authority-data: ")
          .append(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII))).append('\n');
    }
    kubeconfig.append("users:\n- name: controller\n  user:\n    token: \"").append(token).append("\"\n")
        .append("contexts:\n- name: controller\n  context: {cluster: cluster, user: controller}\n");
    return fromKubeconfigText(kubeconfig.toString());
  }

  private static KubernetesClient fromKubeconfigText(String text) {
    Config config = Config.fromKubeconfig(text);
    config.setOnlyHttpWatches(true);
    config.setRequestTimeout(10_000);
    config.setConnectionTimeout(3_000);
    // a lab that is gone should be said at once, not after a minute of retries
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
