package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.demo.DemoLab.Podinfo;
import dev.gitopsworkshop.demo.Timeline.Kind;
import dev.gitopsworkshop.sync.FluxStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * {@code demo drift}: podinfo is changed behind Git's back, twice (deleted, then scaled by hand),
 * and the room watches Flux put back what Git says: the change, the drift seen, the reconcile
 * requested (by the lab's nudge, as {@code flux reconcile} does), the object applied, the pods
 * Ready, and how long it took. With the nudges off nothing asks Flux; the room sees the countdown
 * to the Kustomization's next interval instead.
 */
public final class DriftDemo {
  /** How long each act took to heal, in seconds. */
  public record Result(double deleteHealed, double scaleHealed) {}

  private final DemoLab lab;
  private final Timeline timeline;
  private final Duration timeout;
  private volatile Instant fluxSeenAt;

  /** @param timeout how long each act may take to heal; null: a minute with nudges, else two intervals and a half minute */
  public DriftDemo(DemoLab lab, Timeline timeline, Duration timeout) {
    this.lab = lab;
    this.timeline = timeline;
    this.timeout = timeout;
  }

  public Result run(boolean nudge) {
    Podinfo p = lab.requirePodinfoSynced();
    boolean before = lab.control().nudge(nudge);
    Thread restore = new Thread(() -> lab.control().nudge(before), "restore-nudges");
    if (before != nudge) {
      Runtime.getRuntime().addShutdownHook(restore);
    }
    try {
      timeline.say(Kind.HEADING, nudge
          ? "Nudges on: the lab watches what Flux applied and asks Flux to reconcile as soon as it changes."
          : "Nudges off: Flux corrects drift only at its Kustomization's interval.");
      double deleted = deleteAct(p, nudge);
      double scaled = scaleAct(p, nudge);
      return new Result(deleted, scaled);
    } finally {
      if (before != nudge) {
        lab.control().nudge(before);
        try {
          Runtime.getRuntime().removeShutdownHook(restore);
        } catch (IllegalStateException e) {
          // shutting down: the hook restores them
        }
      }
    }
  }

  private double deleteAct(Podinfo p, boolean nudge) {
    JsonNode d = lab.deployment(p.namespace()).orElseThrow();
    String oldUid = d.at("/metadata/uid").asText();
    int desired = Rollouts.desired(d);
    timeline.say(Kind.HEADING, "");
    timeline.say(Kind.HEADING, "Act 1: delete podinfo behind Git's back");
    CompletableFuture<Double> healed = new CompletableFuture<>();
    return act(p, nudge, healed, (type, o) -> {
      String uid = o.at("/metadata/uid").asText();
      if (uid.equals(oldUid) && (type.equals("DELETED") || o.at("/metadata/deletionTimestamp").isTextual())) {
        timeline.once("seen", Kind.SEEN, "drift seen: deployment/podinfo " + (type.equals("DELETED") ? "is gone" : "is being deleted"));
      } else if (!uid.equals(oldUid) && !type.equals("DELETED")) {
        if (timeline.once("applied", Kind.SEEN, "applied: Flux created deployment/podinfo again from Git (new uid "
            + Rollouts.shortUid(o) + ")")) {
          fluxSeenAt = Instant.now();
        }
        if (Rollouts.desired(o) == desired && Rollouts.complete(o) && timeline.once("ready", Kind.SEEN, "pods Ready: "
            + Rollouts.describe(o))) {
          healed.complete(timeline.seconds());
        }
      }
    }, () -> lab.kube().client().genericKubernetesResources(Kinds.DEPLOYMENTS).inNamespace(p.namespace()).withName(DemoLab.PODINFO)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete(),
        "change made: kubectl delete deployment podinfo (uid " + Rollouts.shortUid(d) + ")");
  }

  private double scaleAct(Podinfo p, boolean nudge) {
    JsonNode d = lab.deployment(p.namespace()).orElseThrow();
    int desired = Rollouts.desired(d);
    int scaled = desired + 2;
    timeline.say(Kind.HEADING, "");
    timeline.say(Kind.HEADING, "Act 2: scale podinfo by hand");
    CompletableFuture<Double> healed = new CompletableFuture<>();
    return act(p, nudge, healed, (type, o) -> {
      if (type.equals("DELETED")) {
        return;
      }
      int replicas = Rollouts.desired(o);
      if (replicas == scaled) {
        timeline.once("seen", Kind.SEEN, "drift seen: deployment/podinfo wants " + scaled + " replicas, Git says " + desired);
      } else if (replicas == desired && timeline.said("seen")) {
        if (timeline.once("applied", Kind.SEEN, "applied: Flux set spec.replicas back to " + desired + " from Git")) {
          fluxSeenAt = Instant.now();
        }
        if (Rollouts.complete(o) && timeline.once("ready", Kind.SEEN, "pods Ready: " + Rollouts.describe(o)
            + ", the extra pods are gone")) {
          healed.complete(timeline.seconds());
        }
      }
    }, () -> lab.kube().client().apps().deployments().inNamespace(p.namespace()).withName(DemoLab.PODINFO).scale(scaled),
        "change made: kubectl scale deployment podinfo --replicas=" + scaled + " (Git says " + desired + ")");
  }

  private interface Handler {
    void on(String type, JsonNode deployment);
  }

  /** Follows podinfo and its Kustomization, makes the change, and waits until the handler says healed. */
  private double act(Podinfo p, boolean nudge, CompletableFuture<Double> healed, Handler podinfo, Runnable change, String changeText) {
    JsonNode ks = lab.kustomization(p).orElseThrow();
    String requestedBefore = ks.at("/metadata/annotations").path(FluxStatus.REQUESTED_AT).asText("");
    Duration wait = timeout != null ? timeout
        : nudge ? Duration.ofMinutes(1) : Countdown.interval(ks).multipliedBy(2).plusSeconds(30);
    try (Follow deployments = Follow.objects(lab.kube(), Kinds.DEPLOYMENTS, p.namespace(), (type, o) -> {
          if (!type.equals(Follow.LISTED) && DemoLab.PODINFO.equals(o.at("/metadata/name").asText())) {
            podinfo.on(type, o);
          }
        });
        Follow kustomizations = Follow.objects(lab.kube(), Kinds.KUSTOMIZATIONS, p.kustomizationNamespace(), (type, o) -> {
          if (!type.equals(Follow.LISTED) && p.kustomization().equals(o.at("/metadata/name").asText())) {
            kustomizationChanged(o, requestedBefore);
          }
        })) {
      timeline.start();
      timeline.at(Kind.ACT, changeText);
      change.run();
      CountdownPrinter countdown = nudge ? null : new CountdownPrinter(timeline,
          Countdown.nextRun(Countdown.lastRun(ks, fluxSeenAt), Countdown.interval(ks), Instant.now()), Countdown.interval(ks),
          () -> timeline.said("applied"));
      try {
        double seconds = Waits.await(healed, wait, "podinfo healed",
            "see why with 'scripts/workshop status' and 'kubectl -n " + p.kustomizationNamespace() + " get kustomization "
                + p.kustomization() + "'");
        timeline.at(Kind.DONE, "healed in " + Timeline.duration(seconds));
        return seconds;
      } finally {
        if (countdown != null) {
          countdown.close();
        }
      }
    }
  }

  private void kustomizationChanged(JsonNode ks, String requestedBefore) {
    String requested = ks.at("/metadata/annotations").path(FluxStatus.REQUESTED_AT).asText("");
    if (requested.isEmpty() || requested.equals(requestedBefore)) {
      return;
    }
    timeline.once("requested", Kind.SEEN, "reconcile requested: the lab set " + FluxStatus.REQUESTED_AT + " on kustomization/"
        + ks.at("/metadata/name").asText() + " (as 'flux reconcile' does)");
    if (requested.equals(ks.at("/status/lastHandledReconcileAt").asText())) {
      timeline.once("reconciled", Kind.SEEN, "reconciled: kustomization/" + ks.at("/metadata/name").asText() + " handled it at "
          + ks.at("/status/lastAppliedRevision").asText("?"));
    }
  }
}
