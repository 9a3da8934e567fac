package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** Gives every namespace its {@code default} ServiceAccount, as the service-account controller does. */
final class NamespaceController extends Controller {
  private final ResourceType namespaces;
  private final ResourceType serviceAccounts;

  NamespaceController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers) {
    super(store, types, timers);
    this.namespaces = type("", "namespaces");
    this.serviceAccounts = type("", "serviceaccounts");
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
    if (store.get(namespaces, null, name).isEmpty() || store.get(serviceAccounts, name, "default").isPresent()) {
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
