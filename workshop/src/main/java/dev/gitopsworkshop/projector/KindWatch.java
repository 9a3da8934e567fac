package dev.gitopsworkshop.projector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One kind followed across namespaces through the Kubernetes API: listed first (so that what
 * exists already is not told as news), then watched from the list's resourceVersion; listed and
 * watched again when the server ends the watch, and tried again every second while the kind is
 * not served (Flux's CRDs come with step 1).
 */
final class KindWatch implements AutoCloseable {
  /** Hears the changes after the first list. */
  interface Listener {
    void changed(Watcher.Action action, GenericKubernetesResource object);
  }

  private final KubernetesClient client;
  private final ResourceDefinitionContext kind;
  private final ScheduledExecutorService retries;
  private final Listener listener;
  private volatile Watch watch;
  private volatile boolean closed;

  KindWatch(KubernetesClient client, ResourceDefinitionContext kind, ScheduledExecutorService retries, Listener listener) {
    this.client = client;
    this.kind = kind;
    this.retries = retries;
    this.listener = listener;
  }

  static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  KindWatch start() {
    open();
    return this;
  }

  private void open() {
    if (closed) {
      return;
    }
    try {
      String since = client.genericKubernetesResources(kind).inAnyNamespace().list().getMetadata().getResourceVersion();
      watch = client.genericKubernetesResources(kind).inAnyNamespace()
          .watch(new ListOptionsBuilder().withResourceVersion(since).build(), new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
              try {
                listener.changed(action, resource);
              } catch (RuntimeException ignored) {
                // one odd object must not end the watch
              }
            }

            @Override
            public void onClose(WatcherException cause) {
              later();
            }
          });
    } catch (KubernetesClientException e) {
      later(); // not served yet, or the cluster is restarting
    }
  }

  private void later() {
    if (!closed) {
      try {
        retries.schedule(this::open, 1, TimeUnit.SECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // shutting down
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
