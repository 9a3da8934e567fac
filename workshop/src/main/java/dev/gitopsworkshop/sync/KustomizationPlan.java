package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.build.Manifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The kustomize-controller's validate stage: the objects a Kustomization's path builds to,
 * checked as a whole before anything is applied (every kind known to the cluster or defined by a
 * CRD in the same set; every namespaced object with a namespace), placed in
 * {@code targetNamespace}, labelled as Flux labels them, and ordered as Flux applies them:
 * CustomResourceDefinitions, then Namespaces, then the rest.
 */
final class KustomizationPlan {
  /** An object of the set that the cluster cannot take: the whole set is refused. */
  static final class ValidationFailure extends RuntimeException {
    ValidationFailure(String message) {
      super(message);
    }
  }

  /**
   * One object to apply. {@code resource} is null when its kind is defined by a CRD of the same set
   * (known once that CRD is established).
   */
  record Planned(ObjectNode object, KubeKind resource, String file, NudgeRules.InventoryEntry entry) {
    String kind() {
      return entry.kind();
    }

    /** {@code Kind/namespace/name} or {@code Kind/name}, as Flux's events and messages name objects. */
    String label() {
      return entry.kind() + "/" + (entry.namespace().isEmpty() ? "" : entry.namespace() + "/") + entry.name();
    }
  }

  private KustomizationPlan() {}

  /**
   * @param discovery where objects of (apiVersion, kind) live, empty when the cluster does not know the kind
   */
  static List<Planned> of(JsonNode ks, List<Manifest> manifests,
      BiFunction<String, String, Optional<KubeKind>> discovery) {
    String target = ks.at("/spec/targetNamespace").asText("");
    List<Planned> plan = new ArrayList<>();
    for (Manifest m : manifests) {
      plan.add(plan(m, manifests, target, ks, discovery));
    }
    plan.sort(Comparator.comparingInt(p -> rank(p.kind())));
    return plan;
  }

  private static Planned plan(Manifest m, List<Manifest> all, String target, JsonNode ks,
      BiFunction<String, String, Optional<KubeKind>> discovery) {
    ObjectNode obj = m.object().deepCopy();
    String apiVersion = obj.path("apiVersion").asText();
    String kind = obj.path("kind").asText();
    String name = obj.at("/metadata/name").asText("");
    if (name.isEmpty()) {
      throw new ValidationFailure(kind + " in " + m.file() + " has no metadata.name");
    }
    KubeKind resource = discovery.apply(apiVersion, kind).orElse(null);
    if (resource == null && !definedBy(all, apiVersion, kind)) {
      throw new ValidationFailure(kind + "/" + name + " (" + m.file() + ") dry-run failed: no matches for kind \"" + kind
          + "\" in version \"" + apiVersion + "\": the cluster does not know this kind; check kind and apiVersion");
    }
    String namespace = "";
    if (resource == null || resource.namespaced()) {
      namespace = target.isEmpty() ? obj.at("/metadata/namespace").asText("") : target;
      if (namespace.isEmpty()) {
        throw new ValidationFailure(kind + "/" + name + " namespace not specified (" + m.file()
            + "): set metadata.namespace in the manifest, or spec.targetNamespace on the Kustomization");
      }
      obj.with("metadata").put("namespace", namespace);
    } else {
      obj.with("metadata").remove("namespace");
    }
    ObjectNode labels = obj.with("metadata").with("labels");
    labels.put("kustomize.toolkit.fluxcd.io/name", ks.at("/metadata/name").asText());
    labels.put("kustomize.toolkit.fluxcd.io/namespace", ks.at("/metadata/namespace").asText());
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    return new Planned(obj, resource, m.file(), new NudgeRules.InventoryEntry(namespace, name, group, kind, version));
  }

  static int rank(String kind) {
    return switch (kind) {
      case "CustomResourceDefinition" -> 0;
      case "Namespace" -> 1;
      default -> 2;
    };
  }

  private static boolean definedBy(List<Manifest> manifests, String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return manifests.stream().anyMatch(m -> "CustomResourceDefinition".equals(m.object().path("kind").asText())
        && group.equals(m.object().at("/spec/group").asText()) && kind.equals(m.object().at("/spec/names/kind").asText()));
  }
}
