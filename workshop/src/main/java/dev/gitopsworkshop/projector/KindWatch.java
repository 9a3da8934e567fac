package dev.gitopsworkshop.projector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind followed across namespaces through the Kubernetes API, as an informer does: listed
 * first (so that what exists already is not told as news), then watched from the list's
 * resourceVersion, keeping a copy of every object; listed and watched again when the server ends
 * the watch, and tried again every second while the kind is not served (Flux's CRDs come with
 * step 1). The projector's state is built from these copies, without asking the API again.
 */
final class KindWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KindWatch.class);
  /** Hears the changes after the first list. */
  interface Listener {
    void changed(Watcher.Action action, GenericKubernetesResource object);
  }

  private final KubernetesClient client;
  private final ResourceDefinitionContext kind;
  private final String fieldSelector;
  private final ScheduledExecutorService retries;
  private final Listener listener;
  private final Map<String, GenericKubernetesResource> objects = new ConcurrentHashMap<>();
  private volatile boolean served;
  private final CountDownLatch firstAnswer = new CountDownLatch(1);
  private volatile Watch watch;
  private volatile boolean closed;

  /** @param fieldSelector only the objects it selects ({@code type=Warning}), or null for all */
  KindWatch(KubernetesClient client, ResourceDefinitionContext kind, String fieldSelector, ScheduledExecutorService retries,
      Listener listener) {
    this.client = client;
    this.kind = kind;
    this.fieldSelector = fieldSelector;
    this.retries = retries;
    this.listener = listener;
  }

  static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  /** Starts following on the executor: the caller (the lab's start) does not wait for the list. */
  KindWatch start() {
    retries.execute(this::open);
    return this;
  }

  private void open() {
    if (closed) {
      return;
    }
    try {
      GenericKubernetesResourceList list = client.genericKubernetesResources(kind).inAnyNamespace()
          .list(new ListOptionsBuilder().withFieldSelector(fieldSelector).build());
      Map<String, GenericKubernetesResource> fresh = new HashMap<>();
      list.getItems().forEach(o -> fresh.put(key(o), o));
      objects.keySet().retainAll(fresh.keySet());
      objects.putAll(fresh);
      served = true;
      firstAnswer.countDown();
      String since = list.getMetadata().getResourceVersion();
      watch = client.genericKubernetesResources(kind).inAnyNamespace()
          .watch(new ListOptionsBuilder().withResourceVersion(since).withFieldSelector(fieldSelector).build(), new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
              if (action == Action.DELETED) {
                objects.remove(key(resource));
              } else if (action != Action.ERROR && action != Action.BOOKMARK) {
                objects.put(key(resource), resource);
              }
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
      firstAnswer.countDown();
      served = false;
      if (e.getCode() == 404) {
        objects.clear();
      }
      later(); // not served yet, or the cluster is restarting
    }
  }

  private static String key(GenericKubernetesResource o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  /** Whether the cluster answered the last list of this kind (for a Flux kind: its CRD is installed). */
  boolean served() {
    return served;
  }

  /** Waits (a bounded time) until the first list has been answered, either way. */
  void awaitFirstAnswer(long millis) throws InterruptedException {
    firstAnswer.await(millis, TimeUnit.MILLISECONDS);
  }

  /** The objects as last seen. */
  List<GenericKubernetesResource> objects() {
    return new ArrayList<>(objects.values());
  }

  private void later() {
    if (!closed) {
      try {
        retries.schedule(this::open, 1, TimeUnit.SECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        LOG.debug("not watching {} again: the projector is shutting down", kind.getPlural());
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
