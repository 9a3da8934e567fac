package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Gives every active namespace its {@code default} ServiceAccount, and puts it back when it is
 * deleted, as the service-account controller does.
 */
final class ServiceAccountController extends Controller {
  private final ResourceType namespaces;
  private final ResourceType serviceAccounts;

  ServiceAccountController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers) {
    super(store, types, timers);
    this.namespaces = type("", "namespaces");
    this.serviceAccounts = type("", "serviceaccounts");
    on(namespaces, Controller::self);
    on(serviceAccounts, e -> "default".equals(e.object().at("/metadata/name").asText())
        ? List.of("/" + e.object().at("/metadata/namespace").asText()) : List.of());
  }

  @Override
  protected String name() {
    return "serviceaccount-controller";
  }

  void start() {
    start(List.of(namespaces));
  }

  @Override
  protected void reconcile(String ignored, String name) {
    Optional<ObjectNode> ns = store.get(namespaces, null, name);
    if (ns.isEmpty() || ns.get().at("/metadata/deletionTimestamp").isTextual()
        || store.get(serviceAccounts, name, "default").isPresent()) {
      return;
    }
    ObjectNode sa = Json.object();
    sa.putObject("metadata").put("name", "default").put("namespace", name);
    try {
      store.create(serviceAccounts, sa, false);
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
    }
  }
}
