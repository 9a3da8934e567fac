package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.KubeClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded kustomize-controller, one Kustomization ({@code kustomize.toolkit.fluxcd.io/v1}) at a
 * time, as a straight pipeline: source artifact, build, validate the whole set (a dry run on the
 * server), apply server-side (Namespaces and CRDs first), prune what left the inventory, write
 * status. A set in which anything fails is not applied at all, and nothing is pruned after a failed
 * build; the last good state stays.
 */
final class KustomizeController extends Reconciler {
  static final String PATH = "/apis/kustomize.toolkit.fluxcd.io/v1";
  static final String MANAGER = "kustomize-controller";

  KustomizeController(KubeClient kube) {
    super(kube, "kustomize-controller");
    watch(PATH + "/kustomizations", this::whenSpecOrRequestChanged);
    watch(SourceController.PATH + "/gitrepositories", this::dependents);
  }

  /** Kustomizations whose source is this GitRepository. */
  private List<String> dependents(JsonNode repo) {
    List<String> keys = new ArrayList<>();
    JsonNode list = kube.getOrNull(PATH + "/kustomizations");
    if (list == null) {
      return keys;
    }
    for (JsonNode ks : list.path("items")) {
      String ns = ks.at("/spec/sourceRef/namespace").asText(ks.at("/metadata/namespace").asText());
      if ("GitRepository".equals(ks.at("/spec/sourceRef/kind").asText())
          && ks.at("/spec/sourceRef/name").asText().equals(repo.at("/metadata/name").asText())
          && ns.equals(repo.at("/metadata/namespace").asText())) {
        keys.add(key(ks));
      }
    }
    return keys;
  }

  @Override
  protected long reconcile(String namespace, String name) {
    String path = PATH + "/namespaces/" + namespace + "/kustomizations/" + name;
    JsonNode ks = kube.getOrNull(path);
    if (ks == null || ks.at("/spec/suspend").asBoolean(false)) {
      return -1;
    }
    long generation = ks.at("/metadata/generation").asLong(1);
    JsonNode status = ks.path("status");
    long interval = FluxStatus.intervalMillis(ks);
    String sourceNs = ks.at("/spec/sourceRef/namespace").asText(namespace);
    String sourceName = ks.at("/spec/sourceRef/name").asText();
    JsonNode source = kube.getOrNull(SourceController.PATH + "/namespaces/" + sourceNs + "/gitrepositories/" + sourceName);
    String revision = source == null ? "" : source.at("/status/artifact/revision").asText("");
    ArtifactStore.Artifact artifact = ArtifactStore.get(sourceNs, sourceName);
    if (revision.isEmpty() || artifact == null || !artifact.revision().equals(revision)) {
      fail(path, ks, "ArtifactFailed", "Source artifact not found, retrying in 30s", null);
      return 1000;
    }
    Outcome outcome;
    try {
      outcome = apply(ks, artifact, revision);
    } catch (ManifestSet.BuildFailure e) {
      fail(path, ks, "BuildFailed", "kustomize build failed: " + e.getMessage(), revision);
      return interval;
    } catch (ApplyFailure e) {
      fail(path, ks, "ReconciliationFailed", e.getMessage(), revision);
      return interval;
    }
    ObjectNode next = KubeClient.JSON.createObjectNode();
    next.put("observedGeneration", generation);
    next.put("lastAppliedRevision", revision);
    next.put("lastAttemptedRevision", revision);
    String requested = FluxStatus.requestedAt(ks);
    if (requested != null) {
      next.put("lastHandledReconcileAt", requested);
    }
    ObjectNode inventory = next.putObject("inventory");
    ArrayNode entries = inventory.putArray("entries");
    outcome.inventory().forEach((id, version) -> entries.addObject().put("id", id).put("v", version));
    next.set("conditions", FluxStatus.conditions(
        FluxStatus.condition("Ready", true, "ReconciliationSucceeded", "Applied revision: " + revision, generation, status)));
    ObjectNode patch = KubeClient.JSON.createObjectNode();
    patch.set("status", next);
    kube.mergePatch(path + "/status", patch);
    if (!outcome.changes().isEmpty()) {
      Events.record(kube, ks, "Normal", "ReconciliationSucceeded", String.join("\n", outcome.changes()), MANAGER);
    }
    return interval;
  }

  private record Outcome(Map<String, String> inventory, List<String> changes) {}

  /** A manifest the cluster refused, or could not place: the set is not applied. */
  private static final class ApplyFailure extends RuntimeException {
    ApplyFailure(String message) {
      super(message);
    }
  }

  private record Planned(ObjectNode object, KubeClient.Resource resource, String namespace, String id, String version) {}

  private Outcome apply(JsonNode ks, ArtifactStore.Artifact artifact, String revision) {
    List<ManifestSet.Manifest> manifests = ManifestSet.build(artifact.files(), ks.at("/spec/path").asText("./"));
    String target = ks.at("/spec/targetNamespace").asText("");
    String ksName = ks.at("/metadata/name").asText();
    String ksNamespace = ks.at("/metadata/namespace").asText();
    List<Planned> plan = new ArrayList<>();
    for (ManifestSet.Manifest m : manifests) {
      ObjectNode obj = m.object().deepCopy();
      String apiVersion = obj.path("apiVersion").asText();
      String kind = obj.path("kind").asText();
      String name = obj.at("/metadata/name").asText("");
      KubeClient.Resource resource = kube.resource(apiVersion, kind).orElse(null);
      if (resource == null && !isCrdDefinedHere(manifests, apiVersion, kind)) {
        throw new ApplyFailure(kind + "/" + name + " (" + m.file() + "): no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\"");
      }
      boolean namespaced = resource == null || resource.namespaced();
      String ns = obj.at("/metadata/namespace").asText("");
      if (namespaced) {
        if (!target.isEmpty()) {
          ns = target;
        }
        if (ns.isEmpty()) {
          throw new ApplyFailure(kind + "/" + name + " namespace not specified (" + m.file() + "): set metadata.namespace or the Kustomization's targetNamespace");
        }
        obj.with("metadata").put("namespace", ns);
      } else {
        ns = "";
      }
      ObjectNode labels = obj.with("metadata").with("labels");
      labels.put("kustomize.toolkit.fluxcd.io/name", ksName);
      labels.put("kustomize.toolkit.fluxcd.io/namespace", ksNamespace);
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      plan.add(new Planned(obj, resource, ns, ns + "_" + name + "_" + group + "_" + kind, version));
    }
    plan.sort((a, b) -> Integer.compare(rank(a.object()), rank(b.object())));
    // validate the whole set on the server before changing anything
    for (Planned p : plan) {
      if (p.resource() != null && !isNamespaceMissingButPlanned(p, plan)) {
        try {
          kube.apply(p.resource().path(p.namespace(), name(p)), p.object(), MANAGER, true);
        } catch (KubeClient.ApiError e) {
          throw new ApplyFailure(p.object().path("kind").asText() + "/" + (p.namespace().isEmpty() ? "" : p.namespace() + "/") + name(p) + " dry-run failed: " + e.getMessage());
        }
      }
    }
    List<String> changes = new ArrayList<>();
    Map<String, String> inventory = new LinkedHashMap<>();
    for (Planned p : plan) {
      KubeClient.Resource resource = p.resource() != null ? p.resource()
          : kube.resource(p.object().path("apiVersion").asText(), p.object().path("kind").asText())
              .orElseThrow(() -> new ApplyFailure("no matches for kind " + p.object().path("kind").asText()));
      String path = resource.path(p.namespace(), name(p));
      JsonNode before = kube.getOrNull(path);
      JsonNode after;
      try {
        after = kube.apply(path, p.object(), MANAGER, false);
      } catch (KubeClient.ApiError e) {
        throw new ApplyFailure(p.object().path("kind").asText() + "/" + name(p) + " apply failed: " + e.getMessage());
      }
      String label = p.object().path("kind").asText() + "/" + (p.namespace().isEmpty() ? "" : p.namespace() + "/") + name(p);
      if (before == null) {
        changes.add(label + " created");
      } else if (!before.at("/metadata/resourceVersion").equals(after.at("/metadata/resourceVersion"))) {
        changes.add(label + " configured");
      }
      inventory.put(p.id(), p.version());
    }
    if (ks.at("/spec/prune").asBoolean(false)) {
      for (JsonNode entry : ks.at("/status/inventory/entries")) {
        String id = entry.path("id").asText();
        if (!inventory.containsKey(id)) {
          String pruned = prune(id, entry.path("v").asText());
          if (pruned != null) {
            changes.add(pruned + " deleted");
          }
        }
      }
    }
    return new Outcome(inventory, changes);
  }

  private String prune(String id, String version) {
    String[] p = id.split("_", 4);
    if (p.length != 4) {
      return null;
    }
    String apiVersion = p[2].isEmpty() ? version : p[2] + "/" + version;
    return kube.resource(apiVersion, p[3]).map(r -> {
      kube.delete(r.path(p[0].isEmpty() ? null : p[0], p[1]));
      return p[3] + "/" + (p[0].isEmpty() ? "" : p[0] + "/") + p[1];
    }).orElse(null);
  }

  private static String name(Planned p) {
    return p.object().at("/metadata/name").asText();
  }

  private static int rank(ObjectNode o) {
    return switch (o.path("kind").asText()) {
      case "CustomResourceDefinition" -> 0;
      case "Namespace" -> 1;
      default -> 2;
    };
  }

  private static boolean isCrdDefinedHere(List<ManifestSet.Manifest> manifests, String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return manifests.stream().anyMatch(m -> "CustomResourceDefinition".equals(m.object().path("kind").asText())
        && group.equals(m.object().at("/spec/group").asText()) && kind.equals(m.object().at("/spec/names/kind").asText()));
  }

  /** A dry run cannot succeed in a namespace the same set is about to create: skip it then. */
  private static boolean isNamespaceMissingButPlanned(Planned p, List<Planned> plan) {
    return !p.namespace().isEmpty() && plan.stream().anyMatch(o -> "Namespace".equals(o.object().path("kind").asText())
        && p.namespace().equals(o.object().at("/metadata/name").asText()));
  }

  private void fail(String path, JsonNode ks, String reason, String message, String attempted) {
    long generation = ks.at("/metadata/generation").asLong(1);
    JsonNode status = ks.path("status");
    ObjectNode next = KubeClient.JSON.createObjectNode();
    next.put("observedGeneration", generation);
    if (attempted != null) {
      next.put("lastAttemptedRevision", attempted);
    }
    String requested = FluxStatus.requestedAt(ks);
    if (requested != null) {
      next.put("lastHandledReconcileAt", requested);
    }
    next.set("conditions", FluxStatus.conditions(
        FluxStatus.condition("Ready", false, reason, message, generation, status)));
    ObjectNode patch = KubeClient.JSON.createObjectNode();
    patch.set("status", next);
    kube.mergePatch(path + "/status", patch);
    if (!message.equals(readyMessage(status))) {
      Events.record(kube, ks, "Warning", reason, message, MANAGER);
    }
  }

  private static String readyMessage(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path("message").asText();
      }
    }
    return "";
  }
}
