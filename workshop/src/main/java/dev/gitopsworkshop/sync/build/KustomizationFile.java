package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.source.ArtifactPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kustomization.yaml} Flux builds a Kustomization's path with, made as Flux's generator
 * makes it: the folder's own file (read into kustomize's Kustomization type, so fields kustomize
 * does not know are dropped), or, without one, a file listing every YAML manifest below the folder
 * (a sub-folder with its own kustomization file taken whole); then the Kustomization's fields set
 * on it: {@code targetNamespace} as {@code namespace}, {@code namePrefix}, {@code nameSuffix}
 * (both replacing the file's), {@code patches} and {@code components} appended, {@code images}
 * merged by name, {@code buildMetadata}.
 */
final class KustomizationFile {
  private static final Logger LOG = LoggerFactory.getLogger(KustomizationFile.class);
  /** The dropped fields already logged (each file and field once, not at every reconcile). */
  private static final Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();
  static final String API_VERSION = "kustomize.config.k8s.io/v1beta1";
  /** The fields of kustomize v5's Kustomization type. */
  static final Set<String> KNOWN = Set.of("apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix",
      "namespace", "commonLabels", "labels", "commonAnnotations", "patchesStrategicMerge", "patchesJson6902", "patches",
      "images", "imageTags", "replacements", "replicas", "vars", "sortOptions", "resources", "components", "crds", "bases",
      "configMapGenerator", "secretGenerator", "helmGlobals", "helmCharts", "helmChartInflationGenerator",
      "generatorOptions", "configurations", "generators", "transformers", "validators", "buildMetadata");
  private static final List<String> SELECTOR = List.of("group", "version", "kind", "name", "namespace", "labelSelector",
      "annotationSelector");

  /** The file to write ({@code created} when the folder had none) and what it says. */
  record Result(String file, ObjectNode content, boolean created) {}

  private KustomizationFile() {}

  static Result of(ArtifactTree tree, String dir, JsonNode spec) {
    ObjectNode k;
    String file;
    boolean created;
    var existing = tree.kustomizationFile(dir);
    if (existing.isPresent()) {
      file = existing.get();
      k = read(tree, file);
      created = false;
      if (!k.path("resources").isArray() || k.path("resources").isEmpty()) {
        // Flux's guard against kustomize's "kustomization.yaml is empty"
        k.putArray("buildMetadata").add("originAnnotations");
      }
    } else {
      file = ArtifactTree.join(dir, "kustomization.yaml");
      k = generated(tree, dir);
      created = true;
    }
    apply(k, spec, tree, dir);
    return new Result(file, k, created);
  }

  /** Whether a kustomization asks kustomize to note each object's origin ({@code buildMetadata: [originAnnotations]}). */
  static boolean asksForOrigins(JsonNode k) {
    for (JsonNode option : k.path("buildMetadata")) {
      if ("originAnnotations".equals(option.asText())) {
        return true;
      }
    }
    return false;
  }

  /** The folder's file as Flux reads it: kustomize's fields only, its defaults filled in. */
  static ObjectNode read(ArtifactTree tree, String file) {
    List<JsonNode> docs = Manifests.documents(file, new String(tree.read(file), java.nio.charset.StandardCharsets.UTF_8));
    ObjectNode k = Manifests.YAML.createObjectNode();
    k.put("apiVersion", API_VERSION).put("kind", "Kustomization");
    if (docs.isEmpty()) {
      return k;
    }
    if (!(docs.get(0) instanceof ObjectNode own)) {
      throw BuildFailure.build(file + ": a kustomization must be a YAML mapping");
    }
    own.fields().forEachRemaining(f -> {
      if (KNOWN.contains(f.getKey())) {
        k.set(f.getKey(), f.getValue());
      } else {
        if (REPORTED.add(file + "\u0000" + f.getKey())) {
          LOG.info("{}: field '{}' is not a kustomize field; dropped, as Flux drops it", file, f.getKey());
        }
      }
    });
    return k;
  }

  /** Flux's generated file: every manifest below the folder, sub-folders with a kustomization taken whole. */
  private static ObjectNode generated(ArtifactTree tree, String dir) {
    ObjectNode k = Manifests.YAML.createObjectNode();
    k.put("apiVersion", API_VERSION).put("kind", "Kustomization");
    List<String> resources = new ArrayList<>();
    scan(tree, dir, dir, resources);
    if (resources.isEmpty()) {
      k.put("namespace", "_placeholder"); // Flux's guard against "kustomization.yaml is empty"
    } else {
      ArrayNode r = k.putArray("resources");
      resources.forEach(r::add);
    }
    return k;
  }

  /** The resources of a generated file, relative to {@code root} ({@code ./app.yaml}, {@code ./sub}). */
  static void scan(ArtifactTree tree, String root, String dir, List<String> resources) {
    for (String name : tree.children(dir)) {
      String path = ArtifactTree.join(dir, name);
      String relative = "./" + path.substring(root.isEmpty() ? 0 : root.length() + 1);
      if (tree.isDir(path)) {
        if (tree.kustomizationFile(path).isPresent()) {
          resources.add(relative);
        } else {
          scan(tree, root, path, resources);
        }
      } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        try {
          Manifests.documents(path, new String(tree.read(path), java.nio.charset.StandardCharsets.UTF_8));
        } catch (BuildFailure e) {
          throw BuildFailure.build("failed to decode Kubernetes YAML from " + e.getMessage());
        }
        resources.add(relative);
      }
    }
  }

  private static void apply(ObjectNode k, JsonNode spec, ArtifactTree tree, String dir) {
    for (String[] field : new String[][] {{"targetNamespace", "namespace"}, {"namePrefix", "namePrefix"},
        {"nameSuffix", "nameSuffix"}}) {
      String value = spec.path(field[0]).asText("");
      if (!value.isEmpty()) {
        k.put(field[1], value);
      }
    }
    for (JsonNode p : spec.path("patches")) {
      ObjectNode patch = array(k, "patches").addObject();
      patch.put("patch", p.path("patch").asText(""));
      if (p.path("target").isObject()) {
        ObjectNode target = patch.putObject("target");
        for (String f : SELECTOR) {
          if (!p.path("target").path(f).asText("").isEmpty()) {
            target.put(f, p.path("target").path(f).asText());
          }
        }
      }
    }
    boolean ignoreMissing = spec.path("ignoreMissingComponents").asBoolean(false);
    for (JsonNode c : spec.path("components")) {
      String component = c.asText();
      if (!LoadRules.isLocalRelative(component)) {
        throw BuildFailure.build("component path '" + component + "' must be local and relative");
      }
      String target = ArtifactPaths.clean(ArtifactTree.join(dir, component));
      if (ignoreMissing && !tree.isDir(target) && !tree.isFile(target)) {
        continue;
      }
      array(k, "components").add(component);
    }
    for (JsonNode image : spec.path("images")) {
      mergeImage(array(k, "images"), image);
    }
    if (spec.path("buildMetadata").isArray() && !spec.path("buildMetadata").isEmpty()) {
      k.set("buildMetadata", spec.path("buildMetadata").deepCopy());
    }
  }

  /** An image of the Kustomization overrides the same-named one of the file field by field; tag and digest go together. */
  private static void mergeImage(ArrayNode images, JsonNode image) {
    String name = image.path("name").asText();
    for (JsonNode existing : images) {
      if (name.equals(existing.path("name").asText()) && existing instanceof ObjectNode e) {
        if (!image.path("newName").asText("").isEmpty()) {
          e.put("newName", image.path("newName").asText());
        }
        if (!image.path("newTag").asText("").isEmpty() || !image.path("digest").asText("").isEmpty()) {
          put(e, "newTag", image.path("newTag").asText(""));
          put(e, "digest", image.path("digest").asText(""));
        }
        return;
      }
    }
    ObjectNode added = images.addObject();
    for (String f : List.of("name", "newName", "newTag", "digest")) {
      put(added, f, image.path(f).asText(""));
    }
  }

  private static void put(ObjectNode o, String field, String value) {
    if (value.isEmpty()) {
      o.remove(field);
    } else {
      o.put(field, value);
    }
  }

  private static ArrayNode array(ObjectNode k, String field) {
    return k.path(field).isArray() ? (ArrayNode) k.get(field) : k.putArray(field);
  }
}
