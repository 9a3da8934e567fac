package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeWatch;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.BiConsumer;

/**
 * Follows the objects of one kind in one namespace ({@link KubeWatch}): what is there now (as
 * {@code LISTED}), then every change from that list's resourceVersion on (ADDED, MODIFIED,
 * DELETED), so that nothing between the two is missed. It returns only once the server has
 * answered the watch, so that a change made right after is heard when it happens.
 */
final class Follow implements AutoCloseable {
  static final String LISTED = KubeWatch.Type.LISTED.name();

  private final KubeWatch watch;

  private Follow(KubeWatch watch) {
    this.watch = watch;
  }

  /** Starts following; {@code events} hears the event type and the object, on the HTTP client's threads. */
  static Follow objects(Kube kube, ResourceDefinitionContext kind, String namespace, BiConsumer<String, JsonNode> events) {
    String apiVersion = kind.getGroup() == null || kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion();
    return new Follow(KubeWatch.of(kube, apiVersion, kind.getKind()).namespace(namespace)
        .listener((type, o) -> events.accept(type.name(), o)).open());
  }

  @Override
  public void close() {
    watch.close();
  }
}
