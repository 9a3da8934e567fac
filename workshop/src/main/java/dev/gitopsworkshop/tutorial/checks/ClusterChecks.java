package dev.gitopsworkshop.tutorial.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.kube.JsonPaths;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Checks on objects of the live cluster, read through the Kubernetes API, whatever runs it. */
public final class ClusterChecks {
  private static final Check.Kind DEPLOYMENTS = new Check.Kind("apps/v1", "Deployment");
  private static final Check.Kind PODS = new Check.Kind("v1", "Pod");

  private ClusterChecks() {}

  static JsonNode get(TutorialContext c, String apiVersion, String kind, String namespace, String name) {
    return c.kube().find(apiVersion, kind, namespace, name).orElse(null);
  }

  static String ref(String kind, String namespace, String name) {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }

  static String kubectlGet(String kind, String namespace, String name) {
    return "kubectl get " + kind.toLowerCase() + " " + name + (namespace == null ? "" : " -n " + namespace);
  }

  public record ObjectExists(String apiVersion, String kind, String namespace, String name) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      boolean there = get(c, apiVersion, kind, namespace, name) != null;
      return CheckResult.of(there, describe(), "it exists", there ? "it exists" : "not found")
          .hinting("'" + kubectlGet(kind, namespace, name) + "' should find it");
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " exists";
    }

    @Override
    public List<Kind> watches() {
      return List.of(new Kind(apiVersion, kind));
    }
  }

  public record ObjectAbsent(String apiVersion, String kind, String namespace, String name) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      boolean there = get(c, apiVersion, kind, namespace, name) != null;
      return CheckResult.of(!there, describe(), "not found", there ? "it exists" : "not found")
          .hinting("'" + kubectlGet(kind, namespace, name) + "' still finds it");
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " is absent";
    }

    @Override
    public List<Kind> watches() {
      return List.of(new Kind(apiVersion, kind));
    }
  }

  /** {@code fieldEquals}: a field, by kubectl's JSONPath ({@code {.spec.replicas}}), has a value. */
  public record FieldEquals(String apiVersion, String kind, String namespace, String name, String path, String value)
      implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      JsonNode o = get(c, apiVersion, kind, namespace, name);
      String actual = o == null ? "(no such object)" : text(JsonPaths.read(o, path));
      return CheckResult.of(value.equals(actual), describe(), value, actual)
          .hinting("'" + kubectlGet(kind, namespace, name) + " -o jsonpath='" + path + "'' shows it; the manifest in Git decides it");
    }

    private static String text(JsonNode n) {
      return n.isMissingNode() || n.isNull() ? "(no such field)" : n.isValueNode() ? n.asText() : n.toString();
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " has " + path + " = " + value;
    }

    @Override
    public List<Kind> watches() {
      return List.of(new Kind(apiVersion, kind));
    }
  }

  /** {@code deploymentAvailable}: rolled out, with exactly this many replicas available. */
  public record DeploymentAvailable(String namespace, String name, int replicas) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      JsonNode d = get(c, "apps/v1", "Deployment", namespace, name);
      String expected = replicas + "/" + replicas + " available";
      if (d == null) {
        return CheckResult.of(false, describe(), expected, "no such Deployment")
            .hinting("'kubectl get deployments -n " + namespace + "': has the operator applied it yet?");
      }
      int desired = d.at("/spec/replicas").asInt(1);
      int available = d.at("/status/availableReplicas").asInt(0);
      int updated = d.at("/status/updatedReplicas").asInt(0);
      int total = d.at("/status/replicas").asInt(0);
      boolean current = d.at("/status/observedGeneration").asLong(0) >= d.at("/metadata/generation").asLong(1);
      boolean ok = current && desired == replicas && available == replicas && updated == replicas && total == replicas;
      return CheckResult.of(ok, describe(), expected,
              available + "/" + desired + " available (" + updated + " up to date, " + total + " in all)" + (ok ? "" : waiting(c, d)))
          .hinting(desired != replicas
              ? "the Deployment asks for " + desired + ": change spec.replicas in Git, not with kubectl"
              : "'kubectl get pods -n " + namespace + "' shows why pods are not ready");
    }

    /** Why pods are not ready, as kubectl's STATUS column would say it (ErrImagePull, CrashLoopBackOff...). */
    static String waiting(TutorialContext c, JsonNode d) {
      StringBuilder selector = new StringBuilder();
      d.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
          selector.append(selector.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue().asText()));
      Set<String> reasons = new TreeSet<>();
      for (JsonNode p : c.kube().list("v1", "Pod", d.at("/metadata/namespace").asText(), selector.toString())) {
        for (JsonNode s : p.at("/status/containerStatuses")) {
          String reason = s.at("/state/waiting/reason").asText("");
          if (!reason.isEmpty() && !reason.equals("ContainerCreating")) {
            reasons.add(reason + ": " + s.at("/state/waiting/message").asText(""));
          }
        }
      }
      return reasons.isEmpty() ? "" : "; pods waiting: " + String.join("; ", reasons);
    }

    @Override
    public String describe() {
      return "Deployment " + namespace + "/" + name + " has " + replicas + " available replica" + (replicas == 1 ? "" : "s");
    }

    @Override
    public List<Kind> watches() {
      return List.of(DEPLOYMENTS);
    }
  }

  /** {@code podsRunning}: exactly this many pods match the selector, all Running and Ready. */
  public record PodsRunning(String namespace, String selector, int count) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      int running = 0;
      int all = 0;
      for (JsonNode p : c.kube().list("v1", "Pod", namespace, selector)) {
        all++;
        if ("Running".equals(p.at("/status/phase").asText()) && condition(p, "Ready")) {
          running++;
        }
      }
      return CheckResult.of(running == count && all == count, describe(), count + " Running and Ready",
              running + " Running and Ready of " + all)
          .hinting("'kubectl get pods -n " + namespace + " -l " + selector + " -w' shows them change");
    }

    @Override
    public String describe() {
      return count + " pod" + (count == 1 ? "" : "s") + " " + selector + " Running in " + namespace;
    }

    @Override
    public List<Kind> watches() {
      return List.of(PODS);
    }
  }

  /** {@code recreated}: deleted and made again since the step began (a new uid). */
  public record Recreated(String apiVersion, String kind, String namespace, String name) implements Check {
    private String memoryKey() {
      return "uid:" + apiVersion + "/" + kind + "/" + namespace + "/" + name;
    }

    @Override
    public void begin(TutorialContext c) {
      JsonNode o = get(c, apiVersion, kind, namespace, name);
      c.remember(memoryKey(), o == null ? null : o.at("/metadata/uid").asText());
    }

    @Override
    public CheckResult evaluate(TutorialContext c) {
      String before = c.recalled(memoryKey());
      JsonNode o = get(c, apiVersion, kind, namespace, name);
      String now = o == null ? null : o.at("/metadata/uid").asText();
      boolean ok = now != null && !now.equals(before);
      String expected = before == null ? "it exists (it did not when the step began, or this process did not see the step begin)"
          : "a new uid (not " + before + ")";
      return CheckResult.of(ok, describe(), expected,
              now == null ? "not found" : now.equals(before) ? "the same uid " + now : "uid " + now)
          .hinting(now == null ? "the operator brings it back from Git: 'kubectl get " + kind.toLowerCase() + "s -w'"
              : "delete it first: 'kubectl delete " + kind.toLowerCase() + " " + name + "'");
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " was recreated";
    }

    @Override
    public List<Kind> watches() {
      return List.of(new Kind(apiVersion, kind));
    }
  }

  static boolean condition(JsonNode o, String type) {
    for (JsonNode cond : o.at("/status/conditions")) {
      if (type.equals(cond.path("type").asText())) {
        return "True".equals(cond.path("status").asText());
      }
    }
    return false;
  }
}
