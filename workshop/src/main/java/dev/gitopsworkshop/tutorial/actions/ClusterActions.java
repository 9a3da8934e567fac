package dev.gitopsworkshop.tutorial.actions;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.Threads;
import dev.gitopsworkshop.WorkshopException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Action;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a participant does with kubectl, done through the Kubernetes API: server-side apply with
 * kubectl's field manager, deletes. Whatever cluster the lab runs.
 */
public final class ClusterActions {
  private static final YAMLMapper YAML = Mappers.YAML;
  /** How many objects of a file are applied at once. */
  private static final int APPLYING_AT_ONCE = 4;

  private ClusterActions() {}

  /**
   * {@code kubectlApply}: every object of a workspace file ({@code file}) or of inline YAML
   * ({@code yaml}), applied server-side; namespaces and CRDs first, as {@code kubectl apply
   * --server-side -f}.
   */
  public record KubectlApply(String file, String yaml) implements Action {
    @Override
    public boolean usesWorkspace() {
      return file != null;
    }

    @Override
    public void run(TutorialContext c) throws Exception {
      String text = file != null ? Files.readString(FileActions.existing(c, file)) : c.fill(yaml);
      Map<Integer, List<ObjectNode>> ranks = objects(text).stream()
          .collect(Collectors.groupingBy(KubectlApply::rank, TreeMap::new, Collectors.toList()));
      for (List<ObjectNode> objects : ranks.values()) {
        applyTogether(c.kube(), objects);
      }
    }

    /**
     * One rank's objects applied side by side: they do not depend on each other, and each waits a
     * round trip through the API server (flux/install.yaml has some forty). What fails is reported
     * as applying them one by one would: the first in the file's order, after the others are done.
     */
    private static void applyTogether(Kube kube, List<ObjectNode> objects) {
      RuntimeException first = null;
      for (Threads.Outcome<Object> o : Threads.sideBySide(objects, APPLYING_AT_ONCE, "kubectl-apply", object -> {
        kube.apply(object);
        return null;
      })) {
        if (o.failure() == null) {
          continue;
        }
        if (first == null) {
          first = o.failure();
        } else {
          first.addSuppressed(o.failure());
        }
      }
      if (first != null) {
        throw first;
      }
    }

    private static int rank(JsonNode o) {
      return switch (o.path("kind").asText()) {
        case "Namespace" -> 0;
        case "CustomResourceDefinition" -> 1;
        default -> 2;
      };
    }

    @Override
    public String describe() {
      // what it does: a server-side apply under kubectl's field manager (kubectl's client-side apply
      // would leave its last-applied annotation, which these objects do not have)
      return "kubectl apply --server-side --force-conflicts -f " + (file != null ? file : "- (inline YAML)");
    }

    @Override
    public String reaction() {
      return "apply to ready";
    }
  }

  /** {@code kubectlDelete}: every object of a workspace file deleted, as {@code kubectl delete -f}. */
  public record KubectlDelete(String file) implements Action {
    @Override
    public boolean usesWorkspace() {
      return true;
    }

    @Override
    public void run(TutorialContext c) throws Exception {
      List<ObjectNode> objects = objects(Files.readString(FileActions.existing(c, file)));
      List<Runnable> waits = new ArrayList<>();
      for (ObjectNode o : objects) {
        waits.add(deleteAndWait(c, o.path("apiVersion").asText(), o.path("kind").asText(), o.at("/metadata/namespace").asText(null),
            o.at("/metadata/name").asText()));
      }
      waits.forEach(Runnable::run);
    }

    @Override
    public String describe() {
      return "kubectl delete -f " + file;
    }
  }

  /** {@code applySecret}: an Opaque Secret from literal values (lab placeholders filled in). */
  public record ApplySecret(String namespace, String name, Map<String, String> data) implements Action {
    @Override
    public void run(TutorialContext c) {
      ObjectNode secret = Mappers.JSON.createObjectNode();
      secret.put("apiVersion", "v1").put("kind", "Secret");
      secret.putObject("metadata").put("name", name).put("namespace", namespace);
      secret.put("type", "Opaque");
      ObjectNode d = secret.putObject("data");
      data.forEach((k, v) -> d.put(k, Base64.getEncoder().encodeToString(c.fill(v).getBytes(StandardCharsets.UTF_8))));
      c.kube().apply(secret);
    }

    @Override
    public String describe() {
      StringBuilder s = new StringBuilder("kubectl -n " + namespace + " create secret generic " + name);
      data.keySet().forEach(k -> s.append(" --from-literal=").append(k).append("=..."));
      return s.toString();
    }
  }

  /** {@code deleteObject}: one object, by kind and name. An object already gone is fine. */
  public record DeleteObject(String apiVersion, String kind, String namespace, String name) implements Action {
    @Override
    public void run(TutorialContext c) {
      deleteAndWait(c, apiVersion, kind, namespace, name).run();
    }

    @Override
    public String describe() {
      return "kubectl delete " + kind.toLowerCase() + " " + name + (namespace == null ? "" : " -n " + namespace);
    }

    @Override
    public String reaction() {
      return "delete to healed";
    }
  }

  /**
   * Deletes an object and answers the wait that {@code kubectl delete} does by default
   * ({@code --wait}): until the object it deleted (by uid) is gone. One with finalizers (a Flux
   * Kustomization's) lives on until its controller lets it go, and the next action (the operator
   * uninstalled, the same object applied again) must not meet it; one the operator makes again at
   * once (step 6's drift) has a new uid and ends the wait.
   */
  static Runnable deleteAndWait(TutorialContext c, String apiVersion, String kind, String namespace, String name) {
    String uid = c.kube().find(apiVersion, kind, namespace, name).map(o -> o.at("/metadata/uid").asText()).orElse(null);
    c.kube().delete(apiVersion, kind, namespace, name);
    return () -> {
      long deadline = System.nanoTime() + DELETE_WAIT.toNanos();
      while (uid != null && c.kube().find(apiVersion, kind, namespace, name)
          .filter(o -> uid.equals(o.at("/metadata/uid").asText())).isPresent()) {
        if (System.nanoTime() > deadline) {
          throw new WorkshopException(kind + " " + name + " is still there " + DELETE_WAIT.toSeconds() + " s after its deletion"
              + " (a finalizer its controller has not removed?)",
              "look at its metadata.finalizers: kubectl get " + kind.toLowerCase() + " " + name
                  + (namespace == null ? "" : " -n " + namespace) + " -o yaml");
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WorkshopException("interrupted while waiting for " + kind + " " + name + " to be deleted", null, e);
        }
      }
    };
  }

  private static final java.time.Duration DELETE_WAIT = java.time.Duration.ofSeconds(60);

  static List<ObjectNode> objects(String yaml) throws IOException {
    Mappers.refuseYamlAliases(yaml);
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode doc : YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll()) {
      if (doc instanceof ObjectNode o && o.has("kind")) {
        out.add(o);
      }
    }
    return out;
  }

}
