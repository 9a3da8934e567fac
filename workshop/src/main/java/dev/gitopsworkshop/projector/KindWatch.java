package dev.gitopsworkshop.projector;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeWatch;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;

/**
 * One kind the projector follows across namespaces ({@link KubeWatch}: listed first, so that what
 * exists already is not told as news, then watched; tried again every second while the kind is not
 * served, as Flux's CRDs come with step 1), as fabric8 objects, which the projector's views read.
 * The projector's state is built from the copies kept here, without asking the API again.
 */
final class KindWatch implements AutoCloseable {
  /** Hears the changes after the first list. */
  interface Listener {
    void changed(Watcher.Action action, GenericKubernetesResource object);
  }

  private final KubeWatch.Builder builder;
  private volatile KubeWatch watch;

  /** @param fieldSelector only the objects it selects ({@code type=Warning}), or null for all */
  KindWatch(Kube kube, ResourceDefinitionContext kind, String fieldSelector, Listener listener) {
    String apiVersion = kind.getGroup() == null || kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion();
    this.builder = KubeWatch.of(kube, apiVersion, kind.getKind()).fieldSelector(fieldSelector).keepObjects().listener((type, o) -> {
      if (type != KubeWatch.Type.LISTED) {
        listener.changed(Watcher.Action.valueOf(type.name()), resource(o));
      }
    });
  }

  static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  private static GenericKubernetesResource resource(Object tree) {
    return Mappers.JSON.convertValue(tree, GenericKubernetesResource.class);
  }

  /** Starts following in the background: the caller (the lab's start) does not wait for the list. */
  KindWatch start() {
    watch = builder.start();
    return this;
  }

  /** Whether the cluster answered the last list of this kind (for a Flux kind: its CRD is installed). */
  boolean served() {
    KubeWatch w = watch;
    return w != null && w.served();
  }

  /** Waits (a bounded time) until the first list has been answered, either way. */
  void awaitFirstAnswer(long millis) throws InterruptedException {
    KubeWatch w = watch;
    if (w != null) {
      w.awaitFirstAnswer(Duration.ofMillis(millis));
    }
  }

  /** The objects as last seen. */
  List<GenericKubernetesResource> objects() {
    KubeWatch w = watch;
    List<GenericKubernetesResource> out = new java.util.ArrayList<>();
    if (w != null) {
      w.objects().forEach(o -> out.add(resource(o))); // a list of its own: the views sort it
    }
    return out;
  }

  @Override
  public void close() {
    KubeWatch w = watch;
    if (w != null) {
      w.close();
    }
  }
}
