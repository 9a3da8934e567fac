package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flux's apply order: definitions first, then by Flux's kind list, others after, webhooks last. */
class ApplyOrderTest {
  static NudgeRules.InventoryEntry e(String ns, String name, String group, String kind) {
    return new NudgeRules.InventoryEntry(ns, name, group, kind, "v1");
  }

  @Test
  void sortsAsFluxAppliesAndInventories() {
    List<NudgeRules.InventoryEntry> entries = new ArrayList<>(List.of(
        e("", "hook", "admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        e("apps", "web", "apps", "Deployment"),
        e("apps", "web", "", "Service"),
        e("apps", "b", "", "ConfigMap"),
        e("apps", "a", "", "ConfigMap"),
        e("apps", "web", "autoscaling", "HorizontalPodAutoscaler"),
        e("", "apps", "", "Namespace"),
        e("", "widgets.example.com", "apiextensions.k8s.io", "CustomResourceDefinition")));
    entries.sort(ApplyOrder.ENTRIES);
    List<String> order = entries.stream().map(GarbageCollection::subject).toList();
    assertEquals(List.of("CustomResourceDefinition/widgets.example.com", "Namespace/apps", "ConfigMap/apps/a", "ConfigMap/apps/b",
        "Service/apps/web", "Deployment/apps/web", "HorizontalPodAutoscaler/apps/web", "ValidatingWebhookConfiguration/hook"), order);
  }
}
