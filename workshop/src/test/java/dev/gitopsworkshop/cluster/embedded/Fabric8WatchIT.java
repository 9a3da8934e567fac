package dev.gitopsworkshop.cluster.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric8 client (JDK HTTP client), as the embedded Flux controllers and the runner use it. */
class Fabric8WatchIT {
  @TempDir Path dir;
  TestCluster cluster;
  KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir);
    client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig)))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default")
        .addToLabels("app", "demo").endMetadata().addToData("k", value).build();
  }

  @Test
  void watchDeliversAddedModifiedAndDeleted() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Watch watch = client.configMaps().inNamespace("default").withLabel("app", "demo").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
        seen.add(action + " " + resource.getMetadata().getName() + " " + resource.getData().get("k"));
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    try (watch) {
      client.resource(configMap("one", "a")).create();
      client.configMaps().inNamespace("default").withName("one").edit(c -> {
        c.getData().put("k", "b");
        return c;
      });
      client.configMaps().inNamespace("default").withName("one").delete();
      await("three events").atMost(Duration.ofSeconds(20))
          .until(() -> seen.size() >= 3);
      assertEquals(List.of("ADDED one a", "MODIFIED one b", "DELETED one b"), seen.subList(0, 3));
    }
  }

  @Test
  void informerListsThenFollowsChanges() {
    client.resource(configMap("before", "x")).create();
    Map<String, String> cache = new java.util.concurrent.ConcurrentHashMap<>();
    SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("default").inform(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap obj) {
            cache.put(obj.getMetadata().getName(), obj.getData().get("k"));
          }

          @Override
          public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            cache.put(newObj.getMetadata().getName(), newObj.getData().get("k"));
          }

          @Override
          public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            cache.remove(obj.getMetadata().getName());
          }
        });
    try (informer) {
      await("informer synced").atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
      assertTrue(cache.containsKey("before"));
      client.resource(configMap("after", "y")).create();
      client.configMaps().inNamespace("default").withName("before").delete();
      await("informer saw the changes").atMost(Duration.ofSeconds(20))
          .until(() -> cache.equals(Map.of("after", "y")));
    }
  }
}
