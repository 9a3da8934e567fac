package dev.gitopsworkshop.tutorial.loader;

import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.Step;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code steps/NN-slug.md}: YAML front matter between two {@code ---} lines, then the
 * Markdown shown to the participant. Every field, action and check is validated when loaded; a
 * problem is refused with the file, the line and what is wrong.
 */
public final class StepLoader {
  /** The authors' guide to the format, next to the steps; not a step. */
  public static final String GUIDE = "README.md";
  private static final Pattern FILE = Pattern.compile("(\\d{2})-[a-z0-9-]+\\.md");
  private static final Set<String> FIELDS = Set.of("id", "title", "budget", "hints", "solve", "checks", "reset", "available", "unavailable");

  private StepLoader() {}

  public static List<Step> load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new WorkshopException("there is no steps folder at " + dir, "run the tool from the gitops-workshop checkout");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().equals(GUIDE))
          .sorted().toList();
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + dir + ": " + e.getMessage(), null, e);
    }
    List<Step> steps = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (Path f : files) {
      Step s = loadFile(f);
      if (!ids.add(s.id())) {
        throw new StepFileException(f, 2, "id " + s.id() + " is used by another step file too");
      }
      steps.add(s);
    }
    if (steps.isEmpty()) {
      throw new WorkshopException("no step files (NN-slug.md) in " + dir, "the steps folder is empty");
    }
    return steps;
  }

  public static Step loadFile(Path file) {
    String name = file.getFileName().toString();
    Matcher m = FILE.matcher(name);
    if (!m.matches()) {
      throw new StepFileException(file, 1, "a step file is named NN-slug.md (two digits, lower-case words joined by '-')");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + file + ": " + e.getMessage(), null, e);
    }
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.get(0).strip().equals("---")) {
      throw new StepFileException(file, 1, "the file must start with '---' and YAML front matter");
    }
    int end = -1;
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("---")) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new StepFileException(file, lines.size(), "the front matter has no closing '---' line");
    }
    String front = String.join("\n", lines.subList(1, end));
    String body = String.join("\n", lines.subList(end + 1, lines.size())).strip();
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(front));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 2 : e.getProblemMark().getLine() + 2;
      throw new StepFileException(file, line, "invalid YAML: " + e.getProblem());
    }
    if (!(root instanceof MappingNode map)) {
      throw new StepFileException(file, 2, "the front matter must be a YAML mapping (id, title, ...)");
    }
    Fields f = new Fields(file, map, 2);
    for (NodeTuple t : map.getValue()) {
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      if (!FIELDS.contains(key)) {
        throw new StepFileException(file, Fields.line(t.getKeyNode()), "unknown field '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
      }
    }
    int id = f.integer("id");
    if (id != Integer.parseInt(m.group(1))) {
      throw new StepFileException(file, f.lineOf("id"), "id " + id + " does not match the file name's number " + m.group(1));
    }
    String title = f.string("title");
    Duration budget = f.duration("budget");
    List<String> hints = new ArrayList<>();
    for (Node n : f.sequence("hints")) {
      hints.add(Fields.scalar(file, n, "a hint"));
    }
    List<Action> solve = new ArrayList<>();
    for (Node n : f.sequence("solve")) {
      solve.add(Vocabulary.action(file, n));
    }
    List<Check> checks = new ArrayList<>();
    for (Node n : f.sequence("checks")) {
      checks.add(Vocabulary.check(file, n));
    }
    List<Action> reset = new ArrayList<>();
    for (Node n : f.sequence("reset")) {
      reset.add(Vocabulary.action(file, n));
    }
    boolean available = !f.has("available") || f.bool("available");
    String unavailable = available ? null : f.has("unavailable") ? f.string("unavailable") : "not available in this version";
    if (available && checks.isEmpty()) {
      throw new StepFileException(file, f.lineOf("checks"), "an available step needs at least one check");
    }
    return new Step(id, name.substring(0, name.length() - 3), title, budget, hints, solve, checks, reset, unavailable, body, file);
  }
}
