package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.WorkshopException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** fabric8 clients for the parts that talk to any cluster (nudges, status), from a kubeconfig. */
public final class FluxClients {
  private FluxClients() {}

  /** A client for the kubeconfig's current context; watches over plain HTTP streaming, as kubectl's. */
  public static KubernetesClient fromKubeconfig(Path kubeconfig) {
    String text;
    try {
      text = Files.readString(kubeconfig);
    } catch (IOException e) {
      throw new WorkshopException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(),
          "start the lab again, or point --data-dir at a running lab", e);
    }
    Config config = Config.fromKubeconfig(text);
    config.setOnlyHttpWatches(true);
    config.setRequestTimeout(10_000);
    config.setConnectionTimeout(3_000);
    // a lab that is gone should be said at once, not after a minute of retries
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
