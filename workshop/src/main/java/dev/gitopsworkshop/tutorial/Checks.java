package dev.gitopsworkshop.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.cluster.JsonPaths;
import dev.gitopsworkshop.cluster.KubeClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The checks: facts read from the live lab through the Kubernetes API and the Git server, never
 * from which cluster mode runs them.
 */
final class Checks {
  private Checks() {}

  static JsonNode get(TutorialContext c, String apiVersion, String kind, String namespace, String name) {
    return c.kube().resource(apiVersion, kind)
        .map(r -> c.kube().getOrNull(r.path(r.namespaced() ? namespace : null, name)))
        .orElse(null);
  }

  static String ref(String kind, String namespace, String name) {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }

  record WorkspaceCloned() implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      boolean cloned = Files.isRegularFile(c.workspace().resolve("examples/podinfo-dep.yaml"))
          && Files.isDirectory(c.workspace().resolve(".git"));
      return CheckResult.of(cloned, describe(), "a clone with examples/podinfo-dep.yaml",
          cloned ? "cloned" : "no clone at " + c.workspace());
    }

    @Override
    public String describe() {
      return "the workshop repository is cloned";
    }
  }

  record ObjectExists(String apiVersion, String kind, String namespace, String name) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      boolean there = get(c, apiVersion, kind, namespace, name) != null;
      return CheckResult.of(there, describe(), "it exists", there ? "it exists" : "not found");
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " exists";
    }
  }

  record ObjectAbsent(String apiVersion, String kind, String namespace, String name) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      boolean there = get(c, apiVersion, kind, namespace, name) != null;
      return CheckResult.of(!there, describe(), "not found", there ? "it exists" : "not found");
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " is absent";
    }
  }

  record FieldEquals(String apiVersion, String kind, String namespace, String name, String path, String value) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      JsonNode o = get(c, apiVersion, kind, namespace, name);
      String actual = o == null ? "(no such object)" : text(JsonPaths.read(o, path));
      return CheckResult.of(value.equals(actual), describe(), value, actual);
    }

    private static String text(JsonNode n) {
      return n.isMissingNode() || n.isNull() ? "(no such field)" : n.isValueNode() ? n.asText() : n.toString();
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " has " + path + " = " + value;
    }
  }

  record DeploymentAvailable(String namespace, String name, int replicas) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      JsonNode d = get(c, "apps/v1", "Deployment", namespace, name);
      if (d == null) {
        return CheckResult.of(false, describe(), replicas + "/" + replicas + " available", "no such Deployment");
      }
      int desired = d.at("/spec/replicas").asInt(1);
      int available = d.at("/status/availableReplicas").asInt(0);
      int updated = d.at("/status/updatedReplicas").asInt(0);
      int total = d.at("/status/replicas").asInt(0);
      boolean current = d.at("/status/observedGeneration").asLong(0) >= d.at("/metadata/generation").asLong(1);
      boolean ok = current && desired == replicas && available == replicas && updated == replicas && total == replicas;
      return CheckResult.of(ok, describe(), replicas + "/" + replicas + " available",
          available + "/" + desired + " available (" + updated + " up to date, " + total + " in all)" + (ok ? "" : waiting(c, d)));
    }

    /** Why pods are not ready, as kubectl's STATUS column would say it (ErrImagePull, CrashLoopBackOff...). */
    private static String waiting(TutorialContext c, JsonNode d) {
      StringBuilder selector = new StringBuilder();
      d.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
          selector.append(selector.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue().asText()));
      JsonNode pods = c.kube().getOrNull("/api/v1/namespaces/" + d.at("/metadata/namespace").asText() + "/pods?labelSelector="
          + URLEncoder.encode(selector.toString(), StandardCharsets.UTF_8));
      java.util.Set<String> reasons = new java.util.TreeSet<>();
      for (JsonNode p : pods == null ? KubeClient.JSON.createArrayNode() : pods.path("items")) {
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
  }

  record PodsRunning(String namespace, String selector, int count) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      JsonNode list = c.kube().getOrNull("/api/v1/namespaces/" + namespace + "/pods?labelSelector="
          + URLEncoder.encode(selector, StandardCharsets.UTF_8));
      int running = 0;
      int all = 0;
      for (JsonNode p : list == null ? KubeClient.JSON.createArrayNode() : list.path("items")) {
        all++;
        boolean ready = false;
        for (JsonNode cond : p.at("/status/conditions")) {
          ready |= "Ready".equals(cond.path("type").asText()) && "True".equals(cond.path("status").asText());
        }
        if ("Running".equals(p.at("/status/phase").asText()) && ready) {
          running++;
        }
      }
      return CheckResult.of(running == count && all == count, describe(), count + " Running and Ready",
          running + " Running and Ready of " + all);
    }

    @Override
    public String describe() {
      return count + " pod" + (count == 1 ? "" : "s") + " " + selector + " Running in " + namespace;
    }
  }

  /** Ready, at the revision Git's main has now: the operator caught up with Git. */
  record FluxReady(String kind, String namespace, String name) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      String apiVersion = kind.equals("GitRepository") ? "source.toolkit.fluxcd.io/v1" : "kustomize.toolkit.fluxcd.io/v1";
      JsonNode o = get(c, apiVersion, kind, namespace, name);
      String head;
      try {
        head = "main@sha1:" + c.git().head().name();
      } catch (Exception e) {
        return CheckResult.of(false, describe(), "Ready at Git's HEAD", "cannot read Git's HEAD: " + e.getMessage());
      }
      if (o == null) {
        return CheckResult.of(false, describe(), "Ready at " + head, "no such " + kind);
      }
      String ready = "Unknown";
      String message = "";
      for (JsonNode cond : o.at("/status/conditions")) {
        if ("Ready".equals(cond.path("type").asText())) {
          ready = cond.path("status").asText();
          message = cond.path("message").asText();
        }
      }
      String revision = kind.equals("GitRepository") ? o.at("/status/artifact/revision").asText("") : o.at("/status/lastAppliedRevision").asText("");
      boolean ok = "True".equals(ready) && head.equals(revision);
      return CheckResult.of(ok, describe(), "Ready=True at " + head,
          "Ready=" + ready + " at " + (revision.isEmpty() ? "no revision" : revision) + (message.isEmpty() ? "" : " (" + message + ")"));
    }

    @Override
    public String describe() {
      return kind + " " + namespace + "/" + name + " is Ready at Git's HEAD";
    }
  }

  /** The object was deleted and made again since the step began: a new uid. */
  record Recreated(String apiVersion, String kind, String namespace, String name) implements Check {
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
      return CheckResult.of(ok, describe(), "a new uid (not " + before + ")",
          now == null ? "not found" : now.equals(before) ? "the same uid " + now : "uid " + now);
    }

    @Override
    public String describe() {
      return ref(kind, namespace, name) + " was recreated";
    }
  }

  record GitFileExists(String path) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      try {
        boolean there = c.git().fileExists(path);
        return CheckResult.of(there, describe(), "on main", there ? "on main" : "not on main (committed and pushed?)");
      } catch (Exception e) {
        return CheckResult.of(false, describe(), "on main", "cannot read Git: " + e.getMessage());
      }
    }

    @Override
    public String describe() {
      return path + " is on main in the workshop repository";
    }
  }
}
