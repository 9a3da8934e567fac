package dev.gitopsworkshop.sync.fidelity;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.RunningLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs fidelity rows on a lab whose operator follows the workshop repository (GitRepository
 * {@code flux-system/workshop}): every row's first phase is prepared at once (namespaces, one commit
 * with every row's files, then each row's {@code apply}), so that rows wait for Flux side by side;
 * {@link #check} then awaits a row's expectations and plays its later phases, and {@link #checkAll}
 * does that for every row on a few threads (pushes one at a time).
 */
public final class FidelityRunner {
  private static final int THREADS = 6;
  private final Object repository = new Object();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RunningLab lab;
  private final Cli git;
  private final Path workspace;
  /** What rows may name and the runner fills in: {@code ${url}}. */
  private final Map<String, String> values;

  /** On a lab whose GitRepository {@code flux-system/workshop} exists. */
  public FidelityRunner(RunningLab lab, Path workspace) {
    this.lab = lab;
    this.workspace = workspace;
    this.git = lab.cli();
    String url = lab.kubectl("-n", "flux-system", "get", "gitrepository", "workshop", "-o", "jsonpath={.spec.url}").ok().out().strip();
    this.values = Map.of("${url}", url);
  }

  private FidelityRow.Phase phase(FidelityRow row, int index) {
    return FidelityRow.fill(row.phases().get(index), values);
  }

  /**
   * Every row's namespace and first kubectl, every row's first-phase files in one pushed commit,
   * then every row's first apply, all in one {@code kubectl apply}.
   */
  public void prepare(List<FidelityRow> rows) {
    StringBuilder namespaces = new StringBuilder();
    for (FidelityRow r : rows) {
      namespaces.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(r.name()).append("\n---\n");
    }
    apply(namespaces.toString());
    boolean changed = false;
    for (FidelityRow r : rows) {
      kubectl(phase(r, 0));
      changed |= write(phase(r, 0).repo());
    }
    if (changed) {
      push("fidelity rows");
    }
    StringBuilder applies = new StringBuilder();
    for (FidelityRow r : rows) {
      if (phase(r, 0).apply() != null) {
        applies.append(phase(r, 0).apply()).append("\n---\n");
      }
    }
    apply(applies.toString());
  }

  /** {@link #check} of every row, a few at a time; each future fails as its row fails. */
  public Map<FidelityRow, java.util.concurrent.CompletableFuture<Void>> checkAll(List<FidelityRow> rows) {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "fidelity-row");
      t.setDaemon(true);
      return t;
    });
    Map<FidelityRow, java.util.concurrent.CompletableFuture<Void>> checks = new java.util.LinkedHashMap<>();
    for (FidelityRow r : rows) {
      checks.put(r, java.util.concurrent.CompletableFuture.runAsync(() -> check(r), pool));
    }
    pool.shutdown();
    return checks;
  }

  /** Awaits the row's first expectations, then plays and awaits each later phase. */
  public void check(FidelityRow row) {
    for (int i = 0; i < row.phases().size(); i++) {
      FidelityRow.Phase p = phase(row, i);
      if (i > 0) {
        kubectl(p);
        synchronized (repository) {
          if (write(p.repo())) {
            push("fidelity row " + row.name() + " phase " + (i + 1));
          }
        }
        apply(p);
      }
      String what = row.where() + (i == 0 ? "" : " then[" + i + "]");
      await(what).atMost(Duration.ofSeconds(p.withinSeconds())).pollInterval(Duration.ofMillis(300))
          .untilAsserted(() -> {
            List<String> failed = new ArrayList<>();
            for (JsonNode e : p.expect()) {
              String problem = holds(e);
              if (problem != null) {
                failed.add(problem);
              }
            }
            if (!failed.isEmpty()) {
              throw new AssertionError(String.join("\n", failed));
            }
          });
    }
  }

  private void kubectl(FidelityRow.Phase p) {
    if (!p.kubectl().isEmpty()) {
      lab.kubectl(p.kubectl().toArray(String[]::new)).ok();
    }
  }

  private void apply(FidelityRow.Phase p) {
    if (p.apply() != null) {
      apply(p.apply());
    }
  }

  private void apply(String yaml) {
    if (!yaml.isBlank()) {
      lab.cli().runWithInput(null, Map.of(), yaml, lab.kubectlCommand("apply", "-f", "-")).ok();
    }
  }

  private boolean write(Map<String, String> files) {
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path path = workspace.resolve(f.getKey()).normalize();
        if (!path.startsWith(workspace)) {
          throw new AssertionError("a row's repo path leaves the repository: " + f.getKey());
        }
        if (f.getValue() == null) {
          Files.deleteIfExists(path);
        } else {
          Files.createDirectories(path.getParent());
          Files.writeString(path, f.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return !files.isEmpty();
  }

  private void push(String message) {
    git.git(workspace, "add", "-A").ok();
    git.git(workspace, "commit", "-q", "--allow-empty", "-m", message).ok();
    git.git(workspace, "push", "-q", "origin", "HEAD:main").ok();
    String head = git.git(workspace, "rev-parse", "HEAD").ok().out().strip();
    await("GitRepository flux-system/workshop fetched " + head).atMost(Duration.ofSeconds(60))
        .until(() -> lab.kubectl("-n", "flux-system", "get", "gitrepository", "workshop", "-o", "jsonpath={.status.artifact.revision}")
            .out().strip().endsWith(head));
  }

  /** Null when the expectation holds, else what was seen instead. */
  String holds(JsonNode expectation) {
    String type = expectation.fieldNames().next();
    JsonNode e = expectation.path(type);
    return switch (type) {
      case "ready" -> condition(e, "Ready");
      case "condition" -> condition(e, e.path("type").asText());
      case "object" -> object(e);
      case "absent" -> absent(e);
      case "event" -> event(e);
      case "log" -> log(e);
      default -> "unknown expectation " + type;
    };
  }

  private String condition(JsonNode e, String type) {
    String what = e.path("kind").asText() + " " + e.path("namespace").asText() + "/" + e.path("name").asText();
    Cli.Result r = lab.kubectl(get(e, "-o", "json"));
    if (r.exitCode() != 0) {
      return what + ": " + r.err().strip();
    }
    JsonNode c = null;
    for (JsonNode candidate : tree(r.out()).at("/status/conditions")) {
      if (type.equals(candidate.path("type").asText())) {
        c = candidate;
      }
    }
    if (c == null) {
      return what + ": no " + type + " condition (status: " + tree(r.out()).path("status") + ")";
    }
    String seen = what + " " + type + "=" + c.path("status").asText() + " " + c.path("reason").asText() + " '" + c.path("message").asText() + "'";
    if (e.has("status") && !e.path("status").asText().equals(c.path("status").asText())
        || e.has("reason") && !e.path("reason").asText().equals(c.path("reason").asText())
        || e.has("messageContains") && !c.path("message").asText().contains(e.path("messageContains").asText())) {
      return "expected " + e + ", seen " + seen;
    }
    return null;
  }

  private String object(JsonNode e) {
    String jsonpath = e.path("jsonpath").asText("{.metadata.name}");
    Cli.Result r = lab.kubectl(get(e, "-o", "jsonpath=" + jsonpath));
    String what = e.path("kind").asText() + " " + e.path("namespace").asText("") + "/" + e.path("name").asText() + " " + jsonpath;
    if (r.exitCode() != 0) {
      return what + ": " + r.err().strip();
    }
    String value = r.out();
    if (e.has("equals") && !e.path("equals").asText().equals(value)
        || e.has("contains") && !value.contains(e.path("contains").asText())) {
      return "expected " + e + ", seen " + what + " = '" + value + "'";
    }
    return null;
  }

  private String absent(JsonNode e) {
    Cli.Result r = lab.kubectl(get(e, "-o", "name"));
    if (r.exitCode() == 0) {
      return "expected absent, still there: " + r.out().strip();
    }
    return r.err().contains("NotFound") || r.err().contains("not found") ? null : "absent? " + r.err().strip();
  }

  private String event(JsonNode e) {
    Cli.Result r = lab.kubectl("get", "events", "-n", e.path("namespace").asText(), "-o", "json");
    if (r.exitCode() != 0) {
      return "events: " + r.err().strip();
    }
    List<String> seen = new ArrayList<>();
    for (JsonNode ev : tree(r.out()).path("items")) {
      JsonNode about = ev.path("involvedObject");
      if (!about.path("kind").asText().equals(e.path("kind").asText()) || !about.path("name").asText().equals(e.path("name").asText())) {
        continue;
      }
      seen.add(ev.path("type").asText() + " " + ev.path("reason").asText() + " '" + ev.path("message").asText() + "'");
      if ((!e.has("type") || e.path("type").asText().equals(ev.path("type").asText()))
          && (!e.has("reason") || e.path("reason").asText().equals(ev.path("reason").asText()))
          && ev.path("message").asText().contains(e.path("messageContains").asText(""))) {
        return null;
      }
    }
    return "expected event " + e + ", seen " + seen;
  }

  private String log(JsonNode e) {
    Cli.Result r = lab.kubectl("logs", "-n", e.path("namespace").asText("flux-system"), "deploy/" + e.path("deployment").asText());
    if (r.exitCode() != 0) {
      return "logs: " + r.err().strip();
    }
    return r.out().contains(e.path("contains").asText()) ? null
        : "expected a log line containing '" + e.path("contains").asText() + "', last lines:\n" + tail(r.out());
  }

  /** {@code get RESOURCE NAME [-n NS] ARGS}, the resource spelled so that kubectl cannot mistake it. */
  private static String[] get(JsonNode e, String... args) {
    List<String> cmd = new ArrayList<>(List.of("get", resource(e.path("apiVersion").asText(""), e.path("kind").asText()), e.path("name").asText()));
    if (e.hasNonNull("namespace")) {
      cmd.addAll(List.of("-n", e.path("namespace").asText()));
    }
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  static String resource(String apiVersion, String kind) {
    String k = kind.toLowerCase();
    if (apiVersion.isEmpty()) {
      return switch (kind) {
        case "Kustomization" -> "kustomizations.kustomize.toolkit.fluxcd.io";
        case "GitRepository" -> "gitrepositories.source.toolkit.fluxcd.io";
        default -> k;
      };
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? k : k + "." + apiVersion.substring(slash + 1) + "." + apiVersion.substring(0, slash);
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 10), lines.length));
  }
}
