package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is in a terminating namespace, then lets the namespace go by removing its
 * {@code kubernetes} finalizer (spec.finalizers), as kube-controller-manager's namespace controller
 * does. Objects that keep finalizers of their own hold the namespace until those are removed.
 */
final class NamespaceController extends Controller {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);
  static final String FINALIZER = "kubernetes";
  private static final long RECHECK_MILLIS = 100;
  private final ResourceType namespaces;

  NamespaceController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers) {
    super(store, types, timers);
    this.namespaces = type("", "namespaces");
    on(namespaces, Controller::self);
  }

  @Override
  protected String name() {
    return "namespace-controller";
  }

  void start() {
    start(List.of(namespaces));
  }

  @Override
  protected void reconcile(String ignored, String name) {
    Optional<ObjectNode> found = store.get(namespaces, null, name);
    if (found.isPresent() && !found.get().at("/metadata/deletionTimestamp").isTextual()) {
      return;
    }
    int left = deleteContents(name);
    if (found.isEmpty()) {
      return;
    }
    if (left > 0) {
      enqueueAfter("/" + name, RECHECK_MILLIS);
      return;
    }
    ObjectNode ns = found.get();
    ArrayNode remaining = Json.array();
    ns.at("/spec/finalizers").forEach(f -> {
      if (!FINALIZER.equals(f.asText())) {
        remaining.add(f);
      }
    });
    if (remaining.size() != ns.at("/spec/finalizers").size()) {
      ns.with("spec").set("finalizers", remaining);
      store.update(namespaces, ns, ResourceStore.Part.MAIN, false);
    }
  }

  /** Deletes every namespaced object in the namespace; answers how many are still there. */
  private int deleteContents(String namespace) {
    int left = 0;
    Set<String> seen = new HashSet<>();
    for (ResourceType t : types.all()) {
      if (!t.namespaced() || !seen.add(ResourceStore.resource(t))) {
        continue;
      }
      for (ObjectNode o : store.list(t, namespace, null).items()) {
        if (o.at("/metadata/deletionTimestamp").isTextual()) {
          left++;
          continue;
        }
        try {
          ObjectNode after = store.delete(t, namespace, o.at("/metadata/name").asText(), o.at("/metadata/uid").asText(), false);
          left += after.at("/metadata/deletionTimestamp").isTextual() ? 1 : 0;
        } catch (ApiException e) {
          LOG.debug("emptying namespace {}: {} is gone already ({})", namespace, o.at("/metadata/name").asText(), e.getMessage());
        }
      }
    }
    return left;
  }
}
