package dev.gitopsworkshop.cluster.embedded;

import dev.gitopsworkshop.cluster.embedded.ResourceType.PrinterColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kinds the embedded API server knows: the built-in ones the tutorial and Flux's install
 * manifest use, plus those that CustomResourceDefinitions add while the cluster runs.
 */
public final class ResourceTypes {
  private final Map<String, ResourceType> byPath = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public ResourceTypes() {
    builtIns().forEach(this::add);
  }

  public void add(ResourceType type) {
    byPath.put(key(type.group(), type.version(), type.plural()), type);
    listeners.forEach(Runnable::run);
  }

  /** Removes every version of a custom resource (its CRD was deleted). */
  public void removeCustom(String group, String plural) {
    boolean changed =
        byPath.values().removeIf(t -> !t.builtIn() && t.group().equals(group) && t.plural().equals(plural));
    if (changed) {
      listeners.forEach(Runnable::run);
    }
  }

  /** Called whenever the set changes (discovery caches listen). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  public Optional<ResourceType> byPlural(String group, String version, String plural) {
    return Optional.ofNullable(byPath.get(key(group, version, plural)));
  }

  /** Looks a type up by apiVersion and kind, as found in a manifest. */
  public Optional<ResourceType> byKind(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
    return byPath.values().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.kind().equals(kind))
        .findFirst();
  }

  public List<ResourceType> all() {
    return new ArrayList<>(byPath.values());
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  // ---------------------------------------------------------------- built-in kinds

  private static List<ResourceType> builtIns() {
    List<ResourceType> t = new ArrayList<>();
    // core/v1
    t.add(cluster("", "v1", "Namespace", "namespaces", List.of("ns"), List.of("status")));
    t.add(cluster("", "v1", "Node", "nodes", List.of("no"), List.of("status")));
    t.add(ns("", "v1", "Pod", "pods", List.of("po"), List.of("all"), List.of("status")));
    t.add(ns("", "v1", "Service", "services", List.of("svc"), List.of("all"), List.of("status")));
    t.add(ns("", "v1", "Endpoints", "endpoints", List.of("ep"), List.of(), List.of()));
    t.add(ns("", "v1", "ConfigMap", "configmaps", List.of("cm"), List.of(), List.of()));
    t.add(ns("", "v1", "Secret", "secrets", List.of(), List.of(), List.of()));
    t.add(ns("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), List.of(), List.of()));
    t.add(ns("", "v1", "Event", "events", List.of("ev"), List.of(), List.of()));
    t.add(ns("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), List.of(), List.of("status")));
    t.add(ns("", "v1", "ResourceQuota", "resourcequotas", List.of("quota"), List.of(), List.of("status")));
    t.add(ns("", "v1", "LimitRange", "limitranges", List.of("limits"), List.of(), List.of()));
    // apps/v1
    t.add(ns("apps", "v1", "Deployment", "deployments", List.of("deploy"), List.of("all"), List.of("status", "scale")));
    t.add(ns("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), List.of("all"), List.of("status", "scale")));
    t.add(ns("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), List.of("all"), List.of("status", "scale")));
    t.add(ns("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), List.of("all"), List.of("status")));
    t.add(ns("apps", "v1", "ControllerRevision", "controllerrevisions", List.of(), List.of(), List.of()));
    // batch/v1
    t.add(ns("batch", "v1", "Job", "jobs", List.of(), List.of("all"), List.of("status")));
    t.add(ns("batch", "v1", "CronJob", "cronjobs", List.of("cj"), List.of("all"), List.of("status")));
    // autoscaling/v2
    t.add(ns("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", List.of("hpa"), List.of("all"), List.of("status")));
    // policy/v1
    t.add(ns("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"), List.of(), List.of("status")));
    // rbac
    String rbac = "rbac.authorization.k8s.io";
    t.add(ns(rbac, "v1", "Role", "roles", List.of(), List.of(), List.of()));
    t.add(ns(rbac, "v1", "RoleBinding", "rolebindings", List.of(), List.of(), List.of()));
    t.add(cluster(rbac, "v1", "ClusterRole", "clusterroles", List.of(), List.of()));
    t.add(cluster(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", List.of(), List.of()));
    // networking
    t.add(ns("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", List.of("netpol"), List.of(), List.of()));
    t.add(ns("networking.k8s.io", "v1", "Ingress", "ingresses", List.of("ing"), List.of(), List.of("status")));
    // events, coordination, discovery, storage, scheduling
    t.add(ns("events.k8s.io", "v1", "Event", "events", List.of("ev"), List.of(), List.of()));
    t.add(ns("coordination.k8s.io", "v1", "Lease", "leases", List.of(), List.of(), List.of()));
    t.add(ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", List.of(), List.of(), List.of()));
    t.add(cluster("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", List.of("pc"), List.of()));
    t.add(cluster("storage.k8s.io", "v1", "StorageClass", "storageclasses", List.of("sc"), List.of()));
    // apiextensions
    t.add(
        cluster(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
            List.of("crd", "crds"),
            List.of("status")));
    return t;
  }

  private static ResourceType ns(
      String group,
      String version,
      String kind,
      String plural,
      List<String> shortNames,
      List<String> categories,
      List<String> subresources) {
    return new ResourceType(
        group, version, kind, plural, kind.toLowerCase(), true, shortNames, categories, subresources,
        List.<PrinterColumn>of(), true);
  }

  private static ResourceType cluster(
      String group, String version, String kind, String plural, List<String> shortNames, List<String> subresources) {
    return new ResourceType(
        group, version, kind, plural, kind.toLowerCase(), false, shortNames, List.of(), subresources,
        List.<PrinterColumn>of(), true);
  }
}
