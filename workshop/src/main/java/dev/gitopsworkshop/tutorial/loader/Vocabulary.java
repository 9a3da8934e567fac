package dev.gitopsworkshop.tutorial.loader;

import dev.gitopsworkshop.tutorial.actions.ClusterActions;
import dev.gitopsworkshop.tutorial.actions.FileActions;
import dev.gitopsworkshop.tutorial.actions.GitActions;
import dev.gitopsworkshop.tutorial.actions.Wait;
import dev.gitopsworkshop.tutorial.checks.ActChecks;
import dev.gitopsworkshop.tutorial.checks.ClusterChecks;
import dev.gitopsworkshop.tutorial.checks.FluxReady;
import dev.gitopsworkshop.tutorial.checks.GitChecks;
import dev.gitopsworkshop.tutorial.checks.ImageUpdated;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.Check;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The small language of step files: each action or check is a one-key mapping, its name, whose
 * value holds its fields ({@code - copy: {from: a, to: b}}). Names and fields are checked here, so
 * a typo is refused at load time with the file and line, not discovered in front of a room.
 */
final class Vocabulary {
  private record Entry<T>(Set<String> required, Set<String> optional, Function<Fields, T> make) {}

  private static final Map<String, Entry<Action>> ACTIONS = new LinkedHashMap<>();
  private static final Map<String, Entry<Check>> CHECKS = new LinkedHashMap<>();

  static {
    ACTIONS.put("clone", new Entry<>(Set.of(), Set.of(), f -> new GitActions.Clone()));
    ACTIONS.put("pull", new Entry<>(Set.of(), Set.of(), f -> new GitActions.Pull()));
    ACTIONS.put("commit", new Entry<>(Set.of("message"), Set.of(), f -> new GitActions.Commit(f.string("message"))));
    ACTIONS.put("push", new Entry<>(Set.of(), Set.of(), f -> new GitActions.Push()));
    ACTIONS.put("copy", new Entry<>(Set.of("from", "to"), Set.of(), f -> new FileActions.Copy(f.string("from"), f.string("to"))));
    ACTIONS.put("removeFile", new Entry<>(Set.of("path"), Set.of(), f -> new FileActions.RemoveFile(f.string("path"))));
    ACTIONS.put("removeWorkspace", new Entry<>(Set.of(), Set.of(), f -> new FileActions.RemoveWorkspace()));
    ACTIONS.put("setField", new Entry<>(Set.of("file", "path", "value"), Set.of(),
        f -> new FileActions.SetField(f.string("file"), f.string("path"), f.string("value"))));
    ACTIONS.put("replaceText", new Entry<>(Set.of("file", "from", "to"), Set.of(),
        f -> new FileActions.ReplaceText(f.string("file"), f.string("from"), f.string("to"))));
    ACTIONS.put("replaceLine", new Entry<>(Set.of("file", "containing", "with"), Set.of(),
        f -> new FileActions.ReplaceLine(f.string("file"), f.string("containing"), f.string("with"))));
    ACTIONS.put("kubectlApply", new Entry<>(Set.of(), Set.of("file", "yaml"), f -> {
      if (f.has("file") == f.has("yaml")) {
        throw new StepFileException(f.file(), f.line(), "action 'kubectlApply' takes either 'file' (in the workspace) or 'yaml' (inline), not "
            + (f.has("file") ? "both" : "neither"));
      }
      return new ClusterActions.KubectlApply(opt(f, "file"), opt(f, "yaml"));
    }));
    ACTIONS.put("kubectlDelete", new Entry<>(Set.of("file"), Set.of(), f -> new ClusterActions.KubectlDelete(f.string("file"))));
    ACTIONS.put("applySecret", new Entry<>(Set.of("namespace", "name", "data"), Set.of(),
        f -> new ClusterActions.ApplySecret(f.string("namespace"), f.string("name"), stringMap(f, "data"))));
    ACTIONS.put("deleteObject", new Entry<>(Set.of("apiVersion", "kind", "name"), Set.of("namespace"),
        f -> new ClusterActions.DeleteObject(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));
    ACTIONS.put("wait", new Entry<>(Set.of("duration"), Set.of(), f -> new Wait(f.duration("duration"))));

    Set<String> object = Set.of("apiVersion", "kind", "name");
    CHECKS.put("workspaceCloned", new Entry<>(Set.of(), Set.of(), f -> new GitChecks.WorkspaceCloned()));
    CHECKS.put("gitFileExists", new Entry<>(Set.of("path"), Set.of(), f -> new GitChecks.GitFileExists(f.string("path"))));
    CHECKS.put("gitCommit", new Entry<>(Set.of("pattern"), Set.of("since", "author"), f -> {
      String since = f.has("since") ? f.string("since") : "step";
      if (!List.of("step", "ever").contains(since)) {
        throw new StepFileException(f.file(), f.lineOf("since"), "'since' is 'step' (pushed during the step) or 'ever', not '" + since + "'");
      }
      return new GitChecks.GitCommit(f.pattern("pattern"), f.has("author") ? f.pattern("author") : null, since.equals("step"));
    }));
    CHECKS.put("objectExists", new Entry<>(object, Set.of("namespace"),
        f -> new ClusterChecks.ObjectExists(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));
    CHECKS.put("objectAbsent", new Entry<>(object, Set.of("namespace"),
        f -> new ClusterChecks.ObjectAbsent(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));
    CHECKS.put("fieldEquals", new Entry<>(Set.of("apiVersion", "kind", "name", "path", "value"), Set.of("namespace"),
        f -> new ClusterChecks.FieldEquals(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"),
            f.string("path"), f.string("value"))));
    CHECKS.put("deploymentAvailable", new Entry<>(Set.of("namespace", "name"), Set.of("replicas"),
        f -> new ClusterChecks.DeploymentAvailable(f.string("namespace"), f.string("name"), f.has("replicas") ? f.integer("replicas") : null)));
    CHECKS.put("podsRunning", new Entry<>(Set.of("namespace", "selector", "count"), Set.of(),
        f -> new ClusterChecks.PodsRunning(f.string("namespace"), f.string("selector"), f.integer("count"))));
    CHECKS.put("fieldChanged", new Entry<>(Set.of("apiVersion", "kind", "name", "path"), Set.of("namespace"),
        f -> new ActChecks.FieldChanged(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"), f.string("path"))));
    CHECKS.put("gitFileChanged", new Entry<>(Set.of("path"), Set.of(), f -> new GitChecks.GitFileChanged(f.string("path"))));
    CHECKS.put("recreated", new Entry<>(object, Set.of("namespace"),
        f -> new ActChecks.Recreated(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));
    CHECKS.put("imageUpdated", new Entry<>(Set.of("policy", "deployment", "file"), Set.of(),
        f -> new ImageUpdated(namespaced(f, "policy"), namespaced(f, "deployment"), f.string("file"))));
    CHECKS.put("fluxReady", new Entry<>(Set.of("kind", "namespace", "name"), Set.of(), f -> {
      String kind = f.string("kind");
      if (!FluxReady.KINDS.contains(kind)) {
        throw new StepFileException(f.file(), f.lineOf("kind"), "check 'fluxReady' takes kind " + String.join(" or ", FluxReady.KINDS) + ", not " + kind);
      }
      return new FluxReady(kind, f.string("namespace"), f.string("name"));
    }));
  }

  private Vocabulary() {}

  /** A {@code namespace/name} field. */
  private static ImageUpdated.Ref namespaced(Fields f, String field) {
    String value = f.string(field);
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
      throw new StepFileException(f.file(), f.lineOf(field), "'" + field + "' is namespace/name, such as flux-system/podinfo, not '" + value + "'");
    }
    return new ImageUpdated.Ref(value.substring(0, slash), value.substring(slash + 1));
  }

  /** The names of the actions, as step files write them. */
  static Set<String> actionNames() {
    return ACTIONS.keySet();
  }

  /** The names of the checks. */
  static Set<String> checkNames() {
    return CHECKS.keySet();
  }

  static Action action(Path file, Node node) {
    return parse(file, node, ACTIONS, "action");
  }

  static Check check(Path file, Node node) {
    return parse(file, node, CHECKS, "check");
  }

  private static <T> T parse(Path file, Node node, Map<String, Entry<T>> known, String what) {
    if (!(node instanceof MappingNode m) || m.getValue().size() != 1) {
      throw new StepFileException(file, Fields.line(node), "each " + what + " is a one-key mapping such as '- "
          + known.keySet().iterator().next() + ": {...}'");
    }
    NodeTuple t = m.getValue().get(0);
    String name = ((ScalarNode) t.getKeyNode()).getValue();
    Entry<T> entry = known.get(name);
    if (entry == null) {
      throw new StepFileException(file, Fields.line(t.getKeyNode()),
          "unknown " + what + " '" + name + "' (known: " + String.join(", ", new TreeSet<>(known.keySet())) + ")");
    }
    MappingNode fieldsNode = t.getValueNode() instanceof MappingNode fm ? fm : null;
    if (fieldsNode == null && !(t.getValueNode() instanceof ScalarNode s && (s.getValue().isEmpty() || s.getValue().equals("null")))) {
      throw new StepFileException(file, Fields.line(t.getValueNode()), what + " '" + name + "' takes a mapping of fields");
    }
    MappingNode fields = fieldsNode != null ? fieldsNode
        : new MappingNode(org.yaml.snakeyaml.nodes.Tag.MAP, List.of(), org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW) {
          @Override
          public org.yaml.snakeyaml.error.Mark getStartMark() {
            return t.getKeyNode().getStartMark();
          }
        };
    Fields f = new Fields(file, fields, 2);
    for (NodeTuple field : fields.getValue()) {
      String key = ((ScalarNode) field.getKeyNode()).getValue();
      if (!entry.required().contains(key) && !entry.optional().contains(key)) {
        Set<String> all = new TreeSet<>(entry.required());
        all.addAll(entry.optional());
        throw new StepFileException(file, Fields.line(field.getKeyNode()),
            what + " '" + name + "' has no field '" + key + "'" + (all.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", all) + ")"));
      }
    }
    for (String required : new TreeSet<>(entry.required())) {
      if (!f.has(required)) {
        throw new StepFileException(file, Fields.line(t.getKeyNode()), what + " '" + name + "' needs the field '" + required + "'");
      }
    }
    return entry.make().apply(f);
  }

  private static String opt(Fields f, String key) {
    return f.has(key) ? f.string(key) : null;
  }

  private static Map<String, String> stringMap(Fields f, String key) {
    Node n = f.node(key);
    if (!(n instanceof MappingNode m)) {
      throw new StepFileException(f.file(), Fields.line(n), "'" + key + "' must be a mapping of names to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      out.put(((ScalarNode) t.getKeyNode()).getValue(), Fields.scalar(f.file(), t.getValueNode(), "a value"));
    }
    return out;
  }
}
