package dev.gitopsworkshop.projector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the projector shows of the cluster, from the copies its watches keep (so only through the
 * Kubernetes API, any cluster the kubeconfig reaches): the Flux objects with Ready and revision,
 * the Deployments with their pods, those Flux applied first (a crowded screen shows them), Flux's
 * own controllers last and marked as such. Objects in {@code kube-*} namespaces are left out. A
 * room's screen has room for so much: past {@value #MAX_WORKLOADS} workloads and
 * {@value #MAX_PODS} pods each, it says how many more.
 */
final class ClusterView {
  static final String OPERATOR_NAMESPACE = "flux-system";
  static final ResourceDefinitionContext DEPLOYMENTS = KindWatch.kind("apps", "v1", "Deployment", "deployments");
  static final ResourceDefinitionContext PODS = KindWatch.kind("", "v1", "Pod", "pods");
  static final ResourceDefinitionContext EVENTS = KindWatch.kind("", "v1", "Event", "events");
  static final List<ResourceDefinitionContext> FLUX = List.of(
      KindWatch.kind("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories"),
      KindWatch.kind("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations"),
      KindWatch.kind("image.toolkit.fluxcd.io", "v1", "ImageRepository", "imagerepositories"),
      KindWatch.kind("image.toolkit.fluxcd.io", "v1", "ImagePolicy", "imagepolicies"),
      KindWatch.kind("image.toolkit.fluxcd.io", "v1", "ImageUpdateAutomation", "imageupdateautomations"));

  static final String FLUX_APPLIED_LABEL = "kustomize.toolkit.fluxcd.io/name";
  static final int MAX_WORKLOADS = 24;
  static final int MAX_PODS = 16;
  private final Map<String, KindWatch> watches;
  private int hiddenWorkloads;

  /** @param watches by kind ({@code Deployment}, {@code Pod}, {@code Kustomization}...) */
  ClusterView(Map<String, KindWatch> watches) {
    this.watches = watches;
  }

  /** A kind's objects as its watch last saw them, in a list of our own to sort (the watch's is unmodifiable). */
  private List<GenericKubernetesResource> objects(String kind) {
    KindWatch w = watches.get(kind);
    return w == null ? new ArrayList<>() : new ArrayList<>(w.objects());
  }

  private boolean served(String kind) {
    KindWatch w = watches.get(kind);
    return w != null && w.served();
  }

  /** The commits Flux objects name, by kind: applied (Kustomizations), fetched (GitRepositories). */
  record Revisions(Set<String> applied, Set<String> fetched) {}

  /** Fills {@code flux}, {@code operatorInstalled} and {@code workloads}; returns the revisions named. */
  Revisions fill(ObjectNode state) {
    Set<String> applied = new HashSet<>();
    Set<String> fetched = new HashSet<>();
    ArrayNode flux = state.putArray("flux");
    boolean installed = false;
    for (ResourceDefinitionContext kind : FLUX) {
      if (!served(kind.getKind())) {
        continue; // this Flux kind is not installed (yet)
      }
      List<GenericKubernetesResource> items = objects(kind.getKind());
      installed |= kind.getKind().equals("Kustomization");
      items.sort(Comparator.comparing((GenericKubernetesResource o) -> o.getMetadata().getNamespace())
          .thenComparing(o -> o.getMetadata().getName()));
      for (GenericKubernetesResource o : items) {
        ObjectNode item = fluxObject(kind.getKind(), o);
        flux.add(item);
        String sha = FluxObjects.sha(item.path("revision").asText());
        if (sha != null) {
          (kind.getKind().equals("Kustomization") ? applied : fetched).add(sha);
        }
      }
    }
    state.put("operatorInstalled", installed);
    state.set("workloads", workloads());
    state.put("moreWorkloads", hiddenWorkloads);
    return new Revisions(applied, fetched);
  }

  private static ObjectNode fluxObject(String kind, GenericKubernetesResource o) {
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    item.put("kind", kind).put("namespace", o.getMetadata().getNamespace()).put("name", o.getMetadata().getName());
    Map<?, ?> ready = FluxObjects.ready(o);
    item.put("ready", ready == null ? "Unknown" : String.valueOf(ready.get("status")));
    item.put("reason", ready == null || ready.get("reason") == null ? "" : String.valueOf(ready.get("reason")));
    item.put("message", ready == null || ready.get("message") == null ? "" : String.valueOf(ready.get("message")));
    item.put("revision", FluxObjects.revision(o));
    item.put("suspended", Boolean.TRUE.equals(o.get("spec", "suspend")));
    return item;
  }

  private ArrayNode workloads() {
    List<GenericKubernetesResource> deployments = visible(objects("Deployment"));
    List<GenericKubernetesResource> pods = visible(objects("Pod"));
    deployments.sort(Comparator.comparing((GenericKubernetesResource d) -> OPERATOR_NAMESPACE.equals(d.getMetadata().getNamespace()))
        .thenComparing(d -> !appliedByFlux(d)).thenComparing(d -> d.getMetadata().getNamespace()).thenComparing(d -> d.getMetadata().getName()));
    pods.sort(Comparator.comparing((GenericKubernetesResource p) -> p.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(p -> p.getMetadata().getName()));
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    List<GenericKubernetesResource> unowned = new ArrayList<>(pods);
    int apps = 0;
    int hidden = 0;
    for (GenericKubernetesResource d : deployments) {
      boolean operator = OPERATOR_NAMESPACE.equals(d.getMetadata().getNamespace());
      if (!operator && ++apps > MAX_WORKLOADS) {
        hidden++;
        unowned.removeIf(p -> d.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())
            && Pods.matches(d.get("spec", "selector", "matchLabels"), p.getMetadata().getLabels()));
        continue;
      }
      ObjectNode w = out.addObject();
      String ns = d.getMetadata().getNamespace();
      w.put("namespace", ns).put("name", d.getMetadata().getName()).put("operator", OPERATOR_NAMESPACE.equals(ns));
      w.put("desired", number(d.get("spec", "replicas"), 1)).put("ready", number(d.get("status", "readyReplicas"), 0));
      w.put("image", Pods.firstImage(d.get("spec", "template", "spec", "containers")));
      ArrayNode boxes = w.putArray("pods");
      Map<?, ?> selector = d.get("spec", "selector", "matchLabels");
      int more = 0;
      for (GenericKubernetesResource p : pods) {
        if (ns.equals(p.getMetadata().getNamespace()) && Pods.matches(selector, p.getMetadata().getLabels())) {
          if (boxes.size() < MAX_PODS) {
            boxes.add(Pods.box(p));
          } else {
            more++;
          }
          unowned.remove(p);
        }
      }
      w.put("morePods", more);
    }
    unowned.removeIf(p -> OPERATOR_NAMESPACE.equals(p.getMetadata().getNamespace()));
    if (!unowned.isEmpty()) {
      ObjectNode w = out.addObject();
      w.put("namespace", "").put("name", "other pods").put("operator", false).put("desired", 0).put("ready", 0).put("image", "");
      ArrayNode boxes = w.putArray("pods");
      unowned.stream().limit(MAX_PODS).forEach(p -> boxes.add(Pods.box(p)));
      w.put("morePods", Math.max(0, unowned.size() - MAX_PODS));
    }
    hiddenWorkloads = hidden;
    return out;
  }

  /** Flux's kustomize-controller labels what it applies with the Kustomization's name. */
  private static boolean appliedByFlux(GenericKubernetesResource d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return labels != null && labels.containsKey(FLUX_APPLIED_LABEL);
  }

  private static List<GenericKubernetesResource> visible(List<GenericKubernetesResource> items) {
    List<GenericKubernetesResource> out = new ArrayList<>(items);
    out.removeIf(o -> o.getMetadata().getNamespace() != null && o.getMetadata().getNamespace().startsWith("kube-"));
    return out;
  }

  private static int number(Object value, int otherwise) {
    return value instanceof Number n ? n.intValue() : otherwise;
  }
}
