package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a Flux user does by hand against a lab, for the build and source ITs: commit and push files
 * to the workshop repository with the real git, apply Flux objects with the real kubectl, and wait
 * for a Flux object's Ready condition, failing with what it last said.
 */
final class FluxWorkbench {
  private static final AtomicInteger FILES = new AtomicInteger();
  private final RunningLab lab;
  private final Path ws;
  private final Path tmp;
  private final List<String> applied = new ArrayList<>();

  FluxWorkbench(RunningLab lab, Path ws, Path tmp) {
    this.lab = lab;
    this.ws = ws;
    this.tmp = tmp;
  }

  /** A lab with the operator installed and its workshop GitRepository ready. */
  static FluxWorkbench start(Path tmp) throws Exception {
    return start(tmp, Map.of());
  }

  /** The same, the lab's process having these environment variables. */
  static FluxWorkbench start(Path tmp, Map<String, String> env) throws Exception {
    RunningLab lab = RunningLab.upWithEnvironment(tmp, env);
    Path ws = lab.cloneWorkshop(tmp.resolve("ws"));
    lab.installOperator(ws);
    FluxWorkbench bench = new FluxWorkbench(lab, ws, tmp);
    bench.awaitReady("gitrepository", "workshop", "True", "stored artifact");
    return bench;
  }

  RunningLab lab() {
    return lab;
  }

  Path workspace() {
    return ws;
  }

  Cli.Result git(String... args) {
    return lab.cli().git(ws, args);
  }

  /** Writes files (alternating paths and contents; null content deletes), commits and pushes; returns the new HEAD. */
  String push(String message, String... pathsAndContents) {
    try {
      for (int i = 0; i < pathsAndContents.length; i += 2) {
        Path file = ws.resolve(pathsAndContents[i]);
        if (pathsAndContents[i + 1] == null) {
          Files.deleteIfExists(file);
        } else {
          Files.createDirectories(file.getParent());
          Files.writeString(file, pathsAndContents[i + 1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git("add", "-A").ok();
    git("commit", "-q", "-m", message).ok();
    git("push", "-q", "origin", "HEAD:main").ok();
    return head();
  }

  String head() {
    return git("rev-parse", "HEAD").ok().out().strip();
  }

  /** {@code kubectl apply} of a YAML text (Flux objects, ConfigMaps...). */
  void apply(String yaml) {
    lab.kubectl("apply", "-f", file(yaml)).ok();
    applied.add(yaml);
  }

  /**
   * Deletes what {@link #apply} created, so that the Kustomizations of one test do not rebuild on
   * every push of the next.
   */
  void deleteApplied() {
    for (String yaml : applied) {
      delete(yaml);
    }
    applied.clear();
  }

  void delete(String yaml) {
    lab.kubectl("delete", "--ignore-not-found", "--wait=false", "-f", file(yaml)).ok();
  }

  private String file(String yaml) {
    try {
      Path f = tmp.resolve("object-" + FILES.incrementAndGet() + ".yaml");
      Files.writeString(f, yaml);
      return f.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Cli.Result kubectl(String... args) {
    return lab.kubectl(args);
  }

  /** A field of an object, by kubectl's jsonpath; empty when the object or field is absent. */
  String get(String kind, String namespace, String name, String jsonpath) {
    List<String> args = new ArrayList<>(List.of("get", kind, name, "-o", "jsonpath=" + jsonpath));
    if (namespace != null) {
      args.addAll(0, List.of("-n", namespace));
    }
    return lab.kubectl(args.toArray(String[]::new)).out().strip();
  }

  boolean exists(String kind, String namespace, String name) {
    return lab.kubectl("-n", namespace, "get", kind, name, "-o", "name").exitCode() == 0;
  }

  String ready(String kind, String name, String field) {
    return get(kind, "flux-system", name, "{.status.conditions[?(@.type==\"Ready\")]." + field + "}");
  }

  /** The Ready condition's status, reason and message, read at once. */
  private String[] ready(String kind, String name) {
    String ready = "{.status.conditions[?(@.type==\"Ready\")].";
    String[] parts = get(kind, "flux-system", name, ready + "status}{\"\\n\"}" + ready + "reason}{\"\\n\"}" + ready + "message}")
        .split("\n", 3);
    return parts.length == 3 ? parts : new String[] {"", "", String.join(" ", parts)};
  }

  /** Waits for a Flux object in flux-system to be Ready={@code status} with a message containing {@code part}; returns the message. */
  String awaitReady(String kind, String name, String status, String part) {
    String[][] last = {{"", "", ""}};
    try {
      await(kind + "/" + name + " Ready=" + status + " with '" + part + "'").atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> {
            last[0] = ready(kind, name);
            return status.equals(last[0][0]) && last[0][2].contains(part);
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; last seen: Ready=" + last[0][0] + " " + last[0][1] + ": " + last[0][2], e);
    }
    return last[0][2];
  }

  /** Waits until a Kustomization has applied the workshop repository's HEAD. */
  void awaitApplied(String kustomization) {
    awaitReady("kustomization", kustomization, "True", "Applied revision: main@sha1:" + head());
  }

  /** A Kustomization of the workshop repository in flux-system, with more spec lines (indented by two). */
  static String kustomization(String name, String path, String moreSpec) {
    return """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: %s
          namespace: flux-system
        spec:
          interval: 10m
          sourceRef:
            kind: GitRepository
            name: workshop
          path: %s
          prune: true
        %s""".formatted(name, path, moreSpec.indent(2));
  }
}
