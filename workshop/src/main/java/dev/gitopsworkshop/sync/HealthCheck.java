package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kustomize-controller's health stage: waits until every object to check is Current as kstatus
 * judges it ({@link Kstatus}), within the Kustomization's timeout. It stops early when every object
 * is either Current or Failed ("failed early due to stalled resources"); at the timeout it names
 * each object not Current and its status ("timeout waiting for: [Deployment/default/podinfo
 * status: 'InProgress']"), as Flux's messages do. Flux polls every 5 s; this looks every half
 * second, which changes only how soon it notices.
 */
final class HealthCheck {
  static final long POLL_MILLIS = 500;

  /** An object to check: where it lives and how Flux names it. */
  record Target(String apiVersion, String kind, String namespace, String name) {
    String subject() {
      return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    static Target of(NudgeRules.InventoryEntry e) {
      return new Target(e.apiVersion(), e.kind(), e.namespace(), e.name());
    }
  }

  private final Function<Target, Kstatus.Result> status;
  private final long pollMillis;

  HealthCheck(Kube api) {
    this(t -> status(api, t), POLL_MILLIS);
  }

  /** @param status how an object is judged now (the live object through kstatus) */
  HealthCheck(Function<Target, Kstatus.Result> status, long pollMillis) {
    this.status = status;
    this.pollMillis = pollMillis;
  }

  /**
   * {@code wait: true} checks every object applied (not the skipped ones, not itself);
   * {@code healthChecks} the objects it names. Healthy is set as Flux sets it, or removed when
   * there is nothing to check. Empty when healthy; else the Ready message.
   */
  Optional<String> stage(KustomizationStatus run, Applier.Outcome outcome, boolean drifted, Events events) {
    JsonNode ks = run.ks;
    boolean wait = ks.at("/spec/wait").asBoolean(false);
    List<Target> targets = new ArrayList<>();
    if (wait) {
      for (NudgeRules.InventoryEntry e : outcome.applied()) {
        if (!(e.kind().equals("Kustomization") && e.name().equals(ks.at("/metadata/name").asText())
            && e.namespace().equals(ks.at("/metadata/namespace").asText()))) {
          targets.add(Target.of(e));
        }
      }
    } else {
      targets = HealthCheck.targets(ks.at("/spec/healthChecks"));
    }
    if (targets.isEmpty()) {
      run.conditions.remove("Healthy");
      return Optional.empty();
    }
    boolean wasHealthy = "True".equals(run.conditions.status("Healthy"));
    boolean newRevision = !run.revision.equals(ks.at("/status/lastAppliedRevision").asText());
    String timeout = GoDuration.millis(KustomizationTimes.timeoutMillis(ks));
    String message = "Running health checks for revision " + run.revision + " with a timeout of " + timeout;
    run.conditions.set("Reconciling", true, "Progressing", message).set("Healthy", null, "Progressing", message);
    run.patch();
    long start = System.nanoTime();
    Optional<String> error = await(targets, KustomizationTimes.timeoutMillis(ks));
    String took = GoDuration.format(Duration.ofNanos(System.nanoTime() - start));
    if (error.isPresent()) {
      run.conditions.set("Healthy", false, "HealthCheckFailed", error.get());
      return Optional.of("health check failed after " + took + ": " + error.get());
    }
    String passed = "Health check passed in " + took;
    if (!wasHealthy || newRevision && drifted) {
      events.normal(ks, KustomizationStatus.readyReason(ks), passed, run.revision);
    }
    run.conditions.set("Healthy", true, "Succeeded", passed);
    return Optional.empty();
  }

  /** What {@code spec.healthChecks} names (apiVersion, kind, name, namespace). */
  static List<Target> targets(JsonNode healthChecks) {
    List<Target> out = new ArrayList<>();
    for (JsonNode h : healthChecks) {
      out.add(new Target(h.path("apiVersion").asText(""), h.path("kind").asText(), h.path("namespace").asText(""), h.path("name").asText()));
    }
    return out;
  }

  /** Empty when all are healthy within {@code timeoutMillis}; else Flux's error message. */
  Optional<String> await(List<Target> targets, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    Map<Target, Kstatus.Result> last = new LinkedHashMap<>();
    while (true) {
      boolean terminal = true;
      boolean allCurrent = true;
      for (Target t : targets) {
        Kstatus.Result r = status.apply(t);
        last.put(t, r);
        allCurrent &= r.status() == Kstatus.Status.Current;
        terminal &= r.status() == Kstatus.Status.Current || r.status() == Kstatus.Status.Failed;
      }
      if (allCurrent) {
        return Optional.empty();
      }
      boolean timedOut = System.currentTimeMillis() >= deadline;
      if (terminal || timedOut || !pause()) {
        return Optional.of(failure(last, terminal));
      }
    }
  }

  /** Flux's message: every Failed object, and at a timeout every object not Current. */
  private static String failure(Map<Target, Kstatus.Result> last, boolean terminal) {
    List<String> errors = new ArrayList<>();
    last.forEach((t, r) -> {
      if (r.status() == Kstatus.Status.Failed || !terminal && r.status() != Kstatus.Status.Current) {
        errors.add(t.subject() + " status: '" + r.status() + "'" + (r.status() == Kstatus.Status.Unknown ? ": " + r.message() : ""));
      }
    });
    return (terminal ? "failed early due to stalled resources" : "timeout waiting for") + ": [" + String.join(", ", errors) + "]";
  }

  private static Kstatus.Result status(Kube api, Target t) {
    Optional<KubeKind> kind = t.apiVersion().isEmpty() ? Optional.empty() : api.kind(t.apiVersion(), t.kind());
    if (kind.isEmpty()) {
      return new Kstatus.Result(Kstatus.Status.Unknown, "no matches for kind \"" + t.kind() + "\" in version \"" + t.apiVersion() + "\"");
    }
    return Kstatus.compute(api.get(kind.get(), t.namespace(), t.name()));
  }

  private boolean pause() {
    try {
      Thread.sleep(pollMillis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
