package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * HorizontalPodAutoscalers as kube-controller-manager runs them on a cluster without a metrics
 * server (the embedded one has none): a target below {@code minReplicas} is scaled up to it, one
 * above {@code maxReplicas} down to it, and within the range nothing changes, with the conditions
 * and events a real HPA shows when it cannot read metrics (ScalingActive False,
 * FailedGetResourceMetric). Every 15 seconds, like the real controller's sync period.
 */
final class HorizontalPodAutoscalerController extends Controller {
  static final long SYNC_MILLIS = 15_000;
  static final String NO_METRICS = "unable to get metrics for resource %s: unable to fetch metrics from resource metrics API: "
      + "the server could not find the requested resource (get pods.metrics.k8s.io)";
  private static final Map<String, String> SCALABLE = Map.of("Deployment", "deployments", "StatefulSet", "statefulsets",
      "ReplicaSet", "replicasets");
  private final ResourceType hpas;
  private final EventRecorder events;

  HorizontalPodAutoscalerController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events) {
    super(store, types, timers);
    this.hpas = types.byPlural("autoscaling", "v2", "horizontalpodautoscalers").orElseThrow();
    this.events = events;
    on(hpas, Controller::self);
  }

  @Override
  protected String name() {
    return "horizontal-pod-autoscaler";
  }

  void start() {
    start(List.of(hpas));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(hpas, namespace, name);
    if (found.isEmpty() || PodTemplates.deleting(found.get())) {
      return;
    }
    ObjectNode hpa = found.get();
    enqueueAfter(key(hpa), SYNC_MILLIS);
    JsonNode spec = hpa.path("spec");
    JsonNode ref = spec.path("scaleTargetRef");
    String kind = ref.path("kind").asText();
    String targetName = ref.path("name").asText();
    ObjectNode status = hpa.path("status").isObject() ? ((ObjectNode) hpa.get("status")).deepCopy() : Json.object();
    ArrayNode conditions = status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
    String now = ResourceStore.now();
    String plural = SCALABLE.get(kind);
    Optional<ObjectNode> target = plural == null || !ref.path("apiVersion").asText("apps/v1").equals("apps/v1")
        ? Optional.empty() : store.get(type("apps", plural), namespace, targetName);
    if (target.isEmpty()) {
      String message = "the HPA controller was unable to get the target's current scale: "
          + (plural == null ? "no matches for kind \"" + kind + "\" in group \"\"" : plural + ".apps \"" + targetName + "\" not found");
      Conditions.set(conditions, "AbleToScale", "False", "FailedGetScale", message, now);
      events.warning(hpa, "horizontal-pod-autoscaler", "FailedGetScale", message.substring(message.indexOf(": ") + 2));
      write(hpa, status);
      return;
    }
    ObjectNode t = target.get();
    int current = t.at("/spec/replicas").asInt(1);
    int min = spec.path("minReplicas").asInt(1);
    int max = spec.path("maxReplicas").asInt(min);
    Conditions.set(conditions, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
    status.put("currentReplicas", t.at("/status/replicas").asInt(0));
    int desired = current;
    String reason = null;
    if (current == 0 && min != 0) {
      Conditions.set(conditions, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
    } else if (current > max) {
      desired = max;
      reason = "Current number of replicas above Spec.MaxReplicas";
      Conditions.set(conditions, "ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count", now);
    } else if (current < min) {
      desired = min;
      reason = "Current number of replicas below Spec.MinReplicas";
      Conditions.set(conditions, "ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count", now);
    } else {
      String metric = firstMetric(spec);
      String error = "failed to get " + metric + " utilization: " + NO_METRICS.formatted(metric);
      Conditions.set(conditions, "ScalingActive", "False", "FailedGetResourceMetric", "the HPA was unable to compute the replica count: " + error, now);
      events.warning(hpa, "horizontal-pod-autoscaler", "FailedGetResourceMetric", error);
      events.warning(hpa, "horizontal-pod-autoscaler", "FailedComputeMetricsReplicas",
          "invalid metrics (1 invalid out of 1), first error is: " + error);
    }
    status.put("desiredReplicas", desired);
    if (desired != current) {
      ObjectNode next = t.deepCopy();
      next.with("spec").put("replicas", desired);
      store.update(type("apps", plural), next, ResourceStore.Part.MAIN, false);
      status.put("lastScaleTime", now);
      status.put("currentReplicas", t.at("/status/replicas").asInt(0));
      Conditions.set(conditions, "AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to " + desired, now);
      events.normal(hpa, "horizontal-pod-autoscaler", "SuccessfulRescale", "New size: " + desired + "; reason: " + reason);
    }
    write(hpa, status);
  }

  private void write(ObjectNode hpa, ObjectNode status) {
    if (!status.equals(hpa.path("status"))) {
      ObjectNode next = hpa.deepCopy();
      next.set("status", status);
      store.update(hpas, next, ResourceStore.Part.STATUS, false);
    }
  }

  /** The resource of the first metric ("cpu" by default, as the controller assumes without metrics). */
  private static String firstMetric(JsonNode spec) {
    for (JsonNode m : spec.path("metrics")) {
      String name = m.at("/resource/name").asText(m.at("/containerResource/name").asText(""));
      if (!name.isEmpty()) {
        return name;
      }
    }
    return "cpu";
  }
}
