package dev.gitopsworkshop.tutorial;

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
  private record Entry<T>(Set<String> required, Set<String> optional, Function<StepLoader.Fields, T> make) {}

  private static final Map<String, Entry<Action>> ACTIONS = new LinkedHashMap<>();
  private static final Map<String, Entry<Check>> CHECKS = new LinkedHashMap<>();

  static {
    ACTIONS.put("clone", new Entry<>(Set.of(), Set.of(), f -> new Actions.Clone()));
    ACTIONS.put("copy", new Entry<>(Set.of("from", "to"), Set.of(), f -> new Actions.Copy(f.string("from"), f.string("to"))));
    ACTIONS.put("setField", new Entry<>(Set.of("file", "path", "value"), Set.of(),
        f -> new Actions.SetField(f.string("file"), f.string("path"), f.string("value"))));
    ACTIONS.put("commit", new Entry<>(Set.of("message"), Set.of(), f -> new Actions.Commit(f.string("message"))));
    ACTIONS.put("push", new Entry<>(Set.of(), Set.of(), f -> new Actions.Push()));
    ACTIONS.put("kubectlApply", new Entry<>(Set.of("file"), Set.of(), f -> new Actions.KubectlApply(f.string("file"))));
    ACTIONS.put("createSecret", new Entry<>(Set.of("namespace", "name", "data"), Set.of(),
        f -> new Actions.CreateSecret(f.string("namespace"), f.string("name"), stringMap(f, "data"))));
    ACTIONS.put("deleteObject", new Entry<>(Set.of("apiVersion", "kind", "name"), Set.of("namespace"),
        f -> new Actions.DeleteObject(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));

    ACTIONS.put("pull", new Entry<>(Set.of(), Set.of(), f -> new Actions.Pull()));
    ACTIONS.put("removeFile", new Entry<>(Set.of("path"), Set.of(), f -> new Actions.RemoveFile(f.string("path"))));
    ACTIONS.put("kubectlDelete", new Entry<>(Set.of("file"), Set.of(), f -> new Actions.KubectlDelete(f.string("file"))));
    ACTIONS.put("removeWorkspace", new Entry<>(Set.of(), Set.of(), f -> new Actions.RemoveWorkspace()));

    Set<String> object = Set.of("apiVersion", "kind", "name");
    CHECKS.put("workspaceCloned", new Entry<>(Set.of(), Set.of(), f -> new Checks.WorkspaceCloned()));
    CHECKS.put("objectExists", new Entry<>(object, Set.of("namespace"),
        f -> new Checks.ObjectExists(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));
    CHECKS.put("objectAbsent", new Entry<>(object, Set.of("namespace"),
        f -> new Checks.ObjectAbsent(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));
    CHECKS.put("fieldEquals", new Entry<>(Set.of("apiVersion", "kind", "name", "path", "value"), Set.of("namespace"),
        f -> new Checks.FieldEquals(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"),
            f.string("path"), f.string("value"))));
    CHECKS.put("deploymentAvailable", new Entry<>(Set.of("namespace", "name", "replicas"), Set.of(),
        f -> new Checks.DeploymentAvailable(f.string("namespace"), f.string("name"), f.integer("replicas"))));
    CHECKS.put("podsRunning", new Entry<>(Set.of("namespace", "selector", "count"), Set.of(),
        f -> new Checks.PodsRunning(f.string("namespace"), f.string("selector"), f.integer("count"))));
    CHECKS.put("fluxReady", new Entry<>(Set.of("kind", "namespace", "name"), Set.of(), f -> {
      String kind = f.string("kind");
      if (!List.of("GitRepository", "Kustomization").contains(kind)) {
        throw new StepFileException(f.file(), f.lineOf("kind"), "fluxReady takes kind GitRepository or Kustomization, not " + kind);
      }
      return new Checks.FluxReady(kind, f.string("namespace"), f.string("name"));
    }));
    CHECKS.put("recreated", new Entry<>(object, Set.of("namespace"),
        f -> new Checks.Recreated(f.string("apiVersion"), f.string("kind"), opt(f, "namespace"), f.string("name"))));
    CHECKS.put("gitFileExists", new Entry<>(Set.of("path"), Set.of(), f -> new Checks.GitFileExists(f.string("path"))));
  }

  private Vocabulary() {}

  static Action action(Path file, Node node) {
    return parse(file, node, ACTIONS, "action");
  }

  static Check check(Path file, Node node) {
    return parse(file, node, CHECKS, "check");
  }

  private static <T> T parse(Path file, Node node, Map<String, Entry<T>> known, String what) {
    if (!(node instanceof MappingNode m) || m.getValue().size() != 1) {
      throw new StepFileException(file, StepLoader.Fields.line(node), "each " + what + " is a one-key mapping such as '- "
          + known.keySet().iterator().next() + ": {...}'");
    }
    NodeTuple t = m.getValue().get(0);
    String name = ((ScalarNode) t.getKeyNode()).getValue();
    Entry<T> entry = known.get(name);
    if (entry == null) {
      throw new StepFileException(file, StepLoader.Fields.line(t.getKeyNode()),
          "unknown " + what + " '" + name + "' (known: " + String.join(", ", new TreeSet<>(known.keySet())) + ")");
    }
    MappingNode fieldsNode = t.getValueNode() instanceof MappingNode fm ? fm : null;
    if (fieldsNode == null && !(t.getValueNode() instanceof ScalarNode s && (s.getValue().isEmpty() || s.getValue().equals("null")))) {
      throw new StepFileException(file, StepLoader.Fields.line(t.getValueNode()), what + " '" + name + "' takes a mapping of fields");
    }
    MappingNode fields = fieldsNode != null ? fieldsNode
        : new MappingNode(org.yaml.snakeyaml.nodes.Tag.MAP, List.of(), org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW) {
          @Override
          public org.yaml.snakeyaml.error.Mark getStartMark() {
            return t.getKeyNode().getStartMark();
          }
        };
    StepLoader.Fields f = new StepLoader.Fields(file, fields, 2);
    for (NodeTuple field : fields.getValue()) {
      String key = ((ScalarNode) field.getKeyNode()).getValue();
      if (!entry.required().contains(key) && !entry.optional().contains(key)) {
        Set<String> all = new TreeSet<>(entry.required());
        all.addAll(entry.optional());
        throw new StepFileException(file, StepLoader.Fields.line(field.getKeyNode()),
            what + " '" + name + "' has no field '" + key + "'" + (all.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", all) + ")"));
      }
    }
    for (String required : new TreeSet<>(entry.required())) {
      if (!f.has(required)) {
        throw new StepFileException(file, StepLoader.Fields.line(t.getKeyNode()), what + " '" + name + "' needs the field '" + required + "'");
      }
    }
    return entry.make().apply(f);
  }

  private static String opt(StepLoader.Fields f, String key) {
    return f.has(key) ? f.string(key) : null;
  }

  private static Map<String, String> stringMap(StepLoader.Fields f, String key) {
    Node n = f.node(key);
    if (!(n instanceof MappingNode m)) {
      throw new StepFileException(f.file(), StepLoader.Fields.line(n), "'" + key + "' must be a mapping of names to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      out.put(((ScalarNode) t.getKeyNode()).getValue(), StepLoader.Fields.scalar(f.file(), t.getValueNode(), "a value"));
    }
    return out;
  }
}
