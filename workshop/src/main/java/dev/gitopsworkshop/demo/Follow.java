package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.BiConsumer;

/**
 * Follows the objects of one kind in one namespace, as an informer does: what is there now (as
 * {@code LISTED}), then every change from that list's resourceVersion on (ADDED, MODIFIED,
 * DELETED), so that nothing between the two is missed. Reopened from the last version seen when
 * the server ends the watch.
 */
final class Follow implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LISTED = "LISTED";

  private final KubernetesClient client;
  private final ResourceDefinitionContext kind;
  private final String namespace;
  private final BiConsumer<String, JsonNode> events;
  private volatile String version;
  private volatile Watch watch;
  private volatile boolean closed;

  private Follow(KubernetesClient client, ResourceDefinitionContext kind, String namespace, BiConsumer<String, JsonNode> events) {
    this.client = client;
    this.kind = kind;
    this.namespace = namespace;
    this.events = events;
  }

  /** Starts following; {@code events} hears the event type and the object, on fabric8's threads. */
  static Follow objects(KubernetesClient client, ResourceDefinitionContext kind, String namespace, BiConsumer<String, JsonNode> events) {
    Follow f = new Follow(client, kind, namespace, events);
    GenericKubernetesResourceList list = client.genericKubernetesResources(kind).inNamespace(namespace).list();
    f.version = list.getMetadata().getResourceVersion();
    for (GenericKubernetesResource o : list.getItems()) {
      events.accept(LISTED, JSON.valueToTree(o));
    }
    f.open();
    return f;
  }

  private void open() {
    if (closed) {
      return;
    }
    try {
      watch = client.genericKubernetesResources(kind).inNamespace(namespace)
          .watch(new ListOptionsBuilder().withResourceVersion(version).build(), new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
              if (resource.getMetadata() != null && resource.getMetadata().getResourceVersion() != null) {
                version = resource.getMetadata().getResourceVersion();
              }
              events.accept(action.name(), JSON.valueToTree(resource));
            }

            @Override
            public void onClose(WatcherException cause) {
              open();
            }
          });
    } catch (KubernetesClientException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Watch w = watch;
    if (w != null) {
      w.close();
    }
  }
}
