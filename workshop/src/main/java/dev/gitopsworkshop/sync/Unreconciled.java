package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.KubeClient;
import java.util.List;

/**
 * The Flux kinds a v2.9 install serves but no embedded controller reconciles (Helm, notification,
 * OCI, bucket and source-watcher kinds): each object gets a status all the same, Ready=False and
 * Stalled with reason {@value #REASON}, saying it is not reconciled here and pointing to
 * {@code --cluster k3s}, so that {@code kubectl get}, {@code flux get} and health checks see a
 * refusal rather than an object silently left alone. It runs in the pod of the controller that
 * reconciles those kinds in real Flux.
 */
final class Unreconciled extends Reconciler {
  static final String REASON = "UnsupportedKind";

  /** Source-controller's kinds besides GitRepository. */
  static final List<FluxApi.Kind> SOURCE = List.of(
      new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "HelmRepository", "helmrepositories", true),
      new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "HelmChart", "helmcharts", true),
      new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "OCIRepository", "ocirepositories", true),
      new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "Bucket", "buckets", true));
  static final List<FluxApi.Kind> HELM = List.of(new FluxApi.Kind("helm.toolkit.fluxcd.io/v2", "HelmRelease", "helmreleases", true));
  static final List<FluxApi.Kind> NOTIFICATION = List.of(
      new FluxApi.Kind("notification.toolkit.fluxcd.io/v1", "Receiver", "receivers", true),
      new FluxApi.Kind("notification.toolkit.fluxcd.io/v1beta3", "Alert", "alerts", true),
      new FluxApi.Kind("notification.toolkit.fluxcd.io/v1beta3", "Provider", "providers", true));
  static final List<FluxApi.Kind> SOURCE_WATCHER = List.of(
      new FluxApi.Kind("source.extensions.fluxcd.io/v1beta1", "ArtifactGenerator", "artifactgenerators", true),
      new FluxApi.Kind("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "externalartifacts", true));

  private final List<FluxApi.Kind> kinds;

  Unreconciled(FluxApi api, String controller, List<FluxApi.Kind> kinds) {
    super(api, controller + "-unreconciled");
    this.kinds = kinds;
    for (FluxApi.Kind k : kinds) {
      watch(k, o -> refused(o) ? List.of() : List.of(k.kind() + "|" + key(o)));
    }
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
    FluxApi.Kind kind = kinds.stream().filter(k -> k.kind().equals(kindName)).findFirst().orElseThrow();
    JsonNode obj = api.get(kind, ns, name);
    if (obj == null) {
      return -1;
    }
    String message = message(kind.kind());
    Conditions conditions = new Conditions(obj).set("Ready", false, REASON, message).set("Stalled", true, REASON, message);
    ObjectNode status = KubeClient.JSON.createObjectNode();
    status.put("observedGeneration", obj.at("/metadata/generation").asLong(1));
    String requested = FluxStatus.requestedAt(obj);
    if (requested != null) {
      status.put("lastHandledReconcileAt", requested);
    }
    status.set("conditions", conditions.array());
    api.patchStatus(kind, ns, name, FluxStatus.statusPatch(status));
    log().info(message);
    return -1;
  }
}
