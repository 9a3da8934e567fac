package dev.gitopsworkshop.sync;

import java.util.Comparator;
import java.util.List;

/**
 * The order in which Flux applies a set (and, reversed, deletes it): CustomResourceDefinitions,
 * Namespaces, cluster roles and classes, accounts and roles, ConfigMaps and Secrets, Services,
 * Deployments... then every other kind, webhook configurations last; ties by group, kind,
 * namespace, name. It is also the order of the inventory and of the change set in events.
 */
final class ApplyOrder {
  private static final List<String> FIRST = List.of("CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterClass",
      "RuntimeClass", "PriorityClass", "StorageClass", "VolumeSnapshotClass", "IngressClass", "GatewayClass", "ClusterRoleBinding",
      "ResourceQuota", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "LimitRange", "Deployment",
      "StatefulSet", "CronJob", "PodDisruptionBudget");
  private static final List<String> LAST = List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

  static final Comparator<NudgeRules.InventoryEntry> ENTRIES = Comparator.comparingInt((NudgeRules.InventoryEntry e) -> index(e.kind()))
      .thenComparing(NudgeRules.InventoryEntry::group).thenComparing(NudgeRules.InventoryEntry::kind)
      .thenComparing(NudgeRules.InventoryEntry::namespace).thenComparing(NudgeRules.InventoryEntry::name);

  static final Comparator<KustomizationPlan.Planned> PLAN = Comparator.comparing(KustomizationPlan.Planned::entry, ENTRIES);

  private ApplyOrder() {}

  private static int index(String kind) {
    int first = FIRST.indexOf(kind);
    if (first >= 0) {
      return first - FIRST.size();
    }
    int last = LAST.indexOf(kind);
    return last >= 0 ? 1 + last : 0;
  }
}
