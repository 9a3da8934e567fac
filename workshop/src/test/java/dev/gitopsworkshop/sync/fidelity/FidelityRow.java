package dev.gitopsworkshop.sync.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One row of the fidelity table: a field or annotation of a Flux kind, whether the embedded operator
 * honours it (does what Flux v2.9 does) or refuses it (Ready=False naming the field and pointing to
 * {@code --cluster k3s}), and the phases that show it on a live lab.
 *
 * <p>A row file ({@code src/test/resources/fidelity/*.yaml}) holds {@code rows:}, each:
 *
 * <pre>
 * - name: prune-annotation-disabled   # optional; default: FILE-INDEX. Also the row's namespace.
 *   kind: Kustomization
 *   field: metadata.annotations[kustomize.toolkit.fluxcd.io/prune]
 *   verdict: honoured                 # honoured | refused
 *   kubectl: [delete, configmap, x, -n, "${row}"]  # optional; a phase runs kubectl, then repo, then apply
 *   repo: {path/in/repo.yaml: "content"}   # committed and pushed (a null content deletes the file)
 *   apply: "YAML applied with kubectl apply -f -"
 *   within: 60                        # seconds the expectations may take (default 60)
 *   expect:                           # all must hold at the same moment
 *     - ready: {kind: Kustomization, name: x, namespace: flux-system, status: "True", reason: R, messageContains: "..."}
 *     - condition: {kind: Kustomization, name: x, namespace: flux-system, type: Healthy, status: "True"}
 *     - object: {apiVersion: v1, kind: ConfigMap, name: x, namespace: default, jsonpath: "{.data.k}", equals: v}
 *     - absent: {apiVersion: v1, kind: ConfigMap, name: y, namespace: default}
 *     - event: {kind: Kustomization, name: x, namespace: flux-system, type: Normal, reason: R, messageContains: "..."}
 *     - log: {namespace: flux-system, deployment: kustomize-controller, contains: "..."}
 *   then:                             # optional later phases, in order, each with the keys above
 *     - kubectl: [delete, kustomization, x, -n, flux-system]
 *       expect: [...]
 * </pre>
 *
 * Every string of a row may say {@code ${row}}: it is replaced by the row's name, which is also a
 * namespace the runner creates for the row, so rows never meet (repository folders, namespaces,
 * object names). {@code ${url}} is the workshop repository's URL as the cluster reaches it (the URL
 * of GitRepository {@code flux-system/workshop}, whose credentials are the Secret
 * {@code workshop-git}); the runner fills it in on the lab. Quote them inside flow mappings.
 */
public record FidelityRow(String file, int index, String name, String kind, String field, String verdict, List<Phase> phases) {
  public static final String PLACEHOLDER = "${row}";
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Set<String> ROW_KEYS = Set.of("name", "kind", "field", "verdict", "repo", "apply", "kubectl", "within", "expect", "then");
  private static final Set<String> PHASE_KEYS = Set.of("repo", "apply", "kubectl", "within", "expect");
  static final Set<String> EXPECTATIONS = Set.of("ready", "condition", "object", "absent", "event", "log");

  /** What to do and what must then hold. {@code repo} values null delete the file. */
  public record Phase(Map<String, String> repo, String apply, List<String> kubectl, int withinSeconds, List<JsonNode> expect) {}

  /** A row file that cannot be read as rows: the message names the file and the row. */
  public static final class BadRow extends RuntimeException {
    BadRow(String message) {
      super(message);
    }
  }

  public boolean honoured() {
    return "honoured".equals(verdict);
  }

  /** Where the row is written: {@code file.yaml: name}. */
  public String where() {
    return file + ": " + name;
  }

  /** The rows of every file in {@code dir}, in file order then row order; names are unique. */
  public static List<FidelityRow> load(Path dir) {
    List<FidelityRow> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        rows.addAll(parse(f.getFileName().toString(), Files.readString(f)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> names = new HashSet<>();
    for (FidelityRow r : rows) {
      if (!names.add(r.name())) {
        throw new BadRow(r.where() + ": another row has the name '" + r.name() + "' (names are namespaces: make them unique)");
      }
    }
    return rows;
  }

  public static List<FidelityRow> parse(String file, String text) {
    JsonNode doc;
    try {
      doc = YAML.readTree(text);
    } catch (IOException e) {
      throw new BadRow(file + ": not YAML: " + e.getMessage());
    }
    if (doc == null || !doc.path("rows").isArray()) {
      throw new BadRow(file + ": expected a top-level 'rows:' list");
    }
    List<FidelityRow> rows = new ArrayList<>();
    int i = 0;
    for (JsonNode row : doc.path("rows")) {
      rows.add(row(file, i++, row));
    }
    return rows;
  }

  private static FidelityRow row(String file, int index, JsonNode row) {
    String stem = file.replaceFirst("\\.yaml$", "");
    String name = row.path("name").asText(stem + "-" + (index + 1));
    String at = file + " row " + (index + 1) + " (" + name + ")";
    unknownKeys(row, ROW_KEYS, at);
    if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
      throw new BadRow(at + ": name must be a DNS label (lower case letters, digits, '-'; at most 63): it is the row's namespace");
    }
    String kind = required(row, "kind", at);
    String field = required(row, "field", at);
    String verdict = required(row, "verdict", at);
    if (!verdict.equals("honoured") && !verdict.equals("refused")) {
      throw new BadRow(at + ": verdict must be 'honoured' or 'refused' (never 'ignored'), not '" + verdict + "'");
    }
    JsonNode substituted = substitute(row, name);
    List<Phase> phases = new ArrayList<>();
    phases.add(phase(substituted, at));
    int n = 1;
    for (JsonNode then : substituted.path("then")) {
      unknownKeys(then, PHASE_KEYS, at + " then[" + n + "]");
      phases.add(phase(then, at + " then[" + n++ + "]"));
    }
    return new FidelityRow(file, index, name, kind, field, verdict, List.copyOf(phases));
  }

  private static Phase phase(JsonNode node, String at) {
    Map<String, String> repo = new LinkedHashMap<>();
    node.path("repo").fields().forEachRemaining(e -> repo.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    List<String> kubectl = new ArrayList<>();
    node.path("kubectl").forEach(a -> kubectl.add(a.asText()));
    List<JsonNode> expect = new ArrayList<>();
    for (JsonNode e : node.path("expect")) {
      if (e.size() != 1 || !EXPECTATIONS.contains(e.fieldNames().next())) {
        throw new BadRow(at + ": each expectation is one of " + EXPECTATIONS + ", got " + e);
      }
      expect.add(e);
    }
    if (expect.isEmpty()) {
      throw new BadRow(at + ": 'expect:' is empty; a phase must show something");
    }
    String apply = node.hasNonNull("apply") ? node.path("apply").asText() : null;
    return new Phase(repo, apply, List.copyOf(kubectl), node.path("within").asInt(60), List.copyOf(expect));
  }

  /** A copy of the node with {@code ${row}} replaced by the row's name in every string and key. */
  static JsonNode substitute(JsonNode node, String name) {
    return substitute(node, Map.of(PLACEHOLDER, name));
  }

  /** A copy of the node with each placeholder replaced by its value in every string and key. */
  public static JsonNode substitute(JsonNode node, Map<String, String> values) {
    if (node.isTextual()) {
      return TextNode.valueOf(fill(node.asText(), values));
    }
    if (node.isObject()) {
      ObjectNode out = YAML.createObjectNode();
      node.fields().forEachRemaining(e -> out.set(fill(e.getKey(), values), substitute(e.getValue(), values)));
      return out;
    }
    if (node.isArray()) {
      var out = YAML.createArrayNode();
      node.forEach(e -> out.add(substitute(e, values)));
      return out;
    }
    return node;
  }

  /** The text with each placeholder replaced by its value. */
  public static String fill(String text, Map<String, String> values) {
    String out = text;
    for (Map.Entry<String, String> v : values.entrySet()) {
      out = out.replace(v.getKey(), v.getValue());
    }
    return out;
  }

  /** The phase with each placeholder replaced by its value. */
  public static Phase fill(Phase p, Map<String, String> values) {
    Map<String, String> repo = new LinkedHashMap<>();
    p.repo().forEach((path, content) -> repo.put(fill(path, values), content == null ? null : fill(content, values)));
    return new Phase(repo, p.apply() == null ? null : fill(p.apply(), values), p.kubectl().stream().map(a -> fill(a, values)).toList(),
        p.withinSeconds(), p.expect().stream().map(e -> substitute(e, values)).toList());
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String at) {
    node.fieldNames().forEachRemaining(k -> {
      if (!known.contains(k)) {
        throw new BadRow(at + ": unknown key '" + k + "' (known: " + known + ")");
      }
    });
  }

  private static String required(JsonNode row, String key, String at) {
    String v = row.path(key).asText("");
    if (v.isEmpty()) {
      throw new BadRow(at + ": '" + key + "' is required");
    }
    return v;
  }
}
