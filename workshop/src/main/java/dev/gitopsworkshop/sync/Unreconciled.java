package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import java.util.List;

/**
 * The Flux kinds a v2.9 install serves but no embedded controller reconciles (Helm, notification,
 * OCI, bucket and source-watcher kinds): each object gets a status all the same, Ready=False and
 * Stalled with reason {@value #REASON}, saying it is not reconciled here and pointing to
 * {@code --cluster k3s}, so that {@code kubectl get}, {@code flux get} and health checks see a
 * refusal rather than an object silently left alone. Alert and Provider ({@code v1beta3}) have no
 * status in Flux (they are static objects the notification-controller reads when it dispatches
 * events): they get a Warning event with the same words instead, which {@code kubectl describe}
 * and {@code kubectl events} show. It runs in the pod of the controller that reconciles those kinds
 * in real Flux, and in the source-controller's for all of them.
 */
final class Unreconciled extends Reconciler {
  static final String REASON = "UnsupportedKind";

  /** Source-controller's kinds besides GitRepository. */
  static final List<KubeKind> SOURCE = List.of(
      KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "HelmRepository", "helmrepositories"),
      KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "HelmChart", "helmcharts"),
      KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "OCIRepository", "ocirepositories"),
      KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "Bucket", "buckets"));
  static final List<KubeKind> HELM = List.of(KubeKind.namespaced("helm.toolkit.fluxcd.io/v2", "HelmRelease", "helmreleases"));
  static final List<KubeKind> NOTIFICATION = List.of(
      KubeKind.namespaced("notification.toolkit.fluxcd.io/v1", "Receiver", "receivers"),
      KubeKind.namespaced("notification.toolkit.fluxcd.io/v1beta3", "Alert", "alerts"),
      KubeKind.namespaced("notification.toolkit.fluxcd.io/v1beta3", "Provider", "providers"));
  static final List<KubeKind> SOURCE_WATCHER = List.of(
      KubeKind.namespaced("source.extensions.fluxcd.io/v1beta1", "ArtifactGenerator", "artifactgenerators"),
      KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "externalartifacts"));

  static final List<KubeKind> ALL = java.util.stream.Stream.of(SOURCE, HELM, NOTIFICATION, SOURCE_WATCHER)
      .flatMap(List::stream).toList();

  /** The kinds without a status in Flux's schema. */
  static final java.util.Set<String> STATIC = java.util.Set.of("Alert", "Provider");

  private final List<KubeKind> kinds;
  private final Events events;
  /** {@code uid/generation} of the static objects already warned about. */
  private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  Unreconciled(Kube api, String controller, List<KubeKind> kinds) {
    super(api, controller + "-unreconciled");
    this.kinds = kinds;
    this.events = new Events(api, controller);
    for (KubeKind k : kinds) {
      watch(k, o -> (STATIC.contains(k.kind()) ? warned.contains(generation(o)) : refused(o)) ? List.of() : List.of(k.kind() + "|" + key(o)));
    }
  }

  private static String generation(JsonNode o) {
    return o.at("/metadata/uid").asText() + "/" + o.at("/metadata/generation").asText();
  }

  /** Whether the object already says it is refused, for its generation and its last reconcile request. */
  static boolean refused(JsonNode o) {
    JsonNode ready = FluxStatus.find(o, "Ready");
    String requested = FluxStatus.requestedAt(o);
    return REASON.equals(ready.path("reason").asText())
        && o.at("/metadata/generation").asLong(1) == o.at("/status/observedGeneration").asLong(-1)
        && (requested == null || requested.equals(o.at("/status/lastHandledReconcileAt").asText()));
  }

  static String message(String kind) {
    return kind + " is not reconciled by the embedded operator; use --cluster k3s for real Flux";
  }

  @Override
  protected long reconcile(String namespace, String name) {
    // keys are Kind|namespace/name: several kinds share the queue
    String kindName = namespace.substring(0, namespace.indexOf('|'));
    String ns = namespace.substring(namespace.indexOf('|') + 1);
    KubeKind kind = kinds.stream().filter(k -> k.kind().equals(kindName)).findFirst().orElseThrow();
    JsonNode obj = api.get(kind, ns, name);
    if (obj == null) {
      return -1;
    }
    String message = message(kind.kind());
    if (STATIC.contains(kind.kind())) {
      if (warned.add(generation(obj))) {
        events.warning(obj, REASON, message, null);
        containerLog(kind, ns, name).info(message);
      }
      return -1;
    }
    Conditions conditions = new Conditions(obj).set("Ready", false, REASON, message).set("Stalled", true, REASON, message);
    ObjectNode status = Mappers.JSON.createObjectNode();
    status.put("observedGeneration", obj.at("/metadata/generation").asLong(1));
    String requested = FluxStatus.requestedAt(obj);
    if (requested != null) {
      status.put("lastHandledReconcileAt", requested);
    }
    status.set("conditions", conditions.array());
    if (!refused(obj)) {
      api.patchStatus(kind, ns, name, FluxStatus.statusPatch(status));
      containerLog(kind, ns, name).info(message);
    }
    return -1;
  }
}
