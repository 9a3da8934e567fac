package dev.gitopsworkshop.tutorial.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.kube.JsonPaths;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.StepMemory;
import java.util.List;

/**
 * Checks of an act on the cluster: they compare the live object with what it was when the step
 * began (noted in the data dir's progress), so only an act made after the step began counts.
 */
public final class ActChecks {
  private ActChecks() {}

  /** {@code recreated}: deleted and made again since the step began (a new uid). */
  public record Recreated(String apiVersion, String kind, String namespace, String name) implements Check {
    private static final String UID = "uid";

    @Override
    public void begin(TutorialContext c, StepMemory memory) {
      JsonNode o = ClusterChecks.get(c, apiVersion, kind, namespace, name);
      memory.remember(UID, o == null ? null : o.at("/metadata/uid").asText());
    }

    @Override
    public CheckResult evaluate(TutorialContext c, StepMemory memory) {
      JsonNode o = ClusterChecks.get(c, apiVersion, kind, namespace, name);
      String now = o == null ? null : o.at("/metadata/uid").asText();
      if (!memory.began()) {
        return CheckResult.of(false, describe(), "a new uid since the step began", "the step has not begun on this lab")
            .hinting(notBegun(c, memory));
      }
      String before = memory.recalled(UID);
      boolean ok = now != null && !now.equals(before);
      String expected = before == null ? "it exists (it did not when the step began)" : "a new uid (not " + before + ")";
      return CheckResult.of(ok, describe(), expected,
              now == null ? "not found" : now.equals(before) ? "the same uid " + now : "uid " + now)
          .hinting(now == null ? "the operator brings it back from Git: 'kubectl get " + kind.toLowerCase() + "s -w'"
              : "delete it first: 'kubectl delete " + kind.toLowerCase() + " " + name + "'");
    }

    @Override
    public String describe() {
      return ClusterChecks.ref(kind, namespace, name) + " was recreated";
    }

    @Override
    public List<Kind> watches() {
      return List.of(new Kind(apiVersion, kind));
    }
  }

  /**
   * {@code fieldChanged}: a field (kubectl's JSONPath) has another value than when the step began:
   * the participant's change reached the cluster.
   */
  public record FieldChanged(String apiVersion, String kind, String namespace, String name, String path) implements Check {
    private static final String VALUE = "value";

    @Override
    public void begin(TutorialContext c, StepMemory memory) {
      memory.remember(VALUE, value(c));
    }

    private String value(TutorialContext c) {
      JsonNode o = ClusterChecks.get(c, apiVersion, kind, namespace, name);
      if (o == null) {
        return null;
      }
      JsonNode n = JsonPaths.read(o, path);
      return n.isMissingNode() || n.isNull() ? "" : n.isValueNode() ? n.asText() : n.toString();
    }

    @Override
    public CheckResult evaluate(TutorialContext c, StepMemory memory) {
      if (!memory.began()) {
        return CheckResult.of(false, describe(), "another value than when the step began", "the step has not begun on this lab")
            .hinting(notBegun(c, memory));
      }
      String before = memory.recalled(VALUE);
      String now = value(c);
      boolean ok = now != null && !now.equals(before);
      return CheckResult.of(ok, describe(), "not " + shown(before), now == null ? "no such object" : ok ? shown(now) : "still " + shown(now))
          .hinting("change it in Git (commit and push), and the operator applies it: '" + ClusterChecks.kubectlGet(kind, namespace, name)
              + " -o jsonpath='" + path + "'' shows it");
    }

    private static String shown(String v) {
      return v == null ? "(no such object)" : v.isEmpty() ? "(not set)" : "\"" + v + "\"";
    }

    @Override
    public String describe() {
      return ClusterChecks.ref(kind, namespace, name) + " changed " + path;
    }

    @Override
    public List<Kind> watches() {
      return List.of(new Kind(apiVersion, kind));
    }
  }

  /** What to do about a step whose act counts from its beginning when it never began. */
  static String notBegun(TutorialContext c, StepMemory memory) {
    return "what step " + memory.step() + " asks for counts from when it begins: '" + c.fill("{{workshop check " + memory.step() + "}}")
        + "' begins it, and so does 'run' when it shows the step";
  }

}
