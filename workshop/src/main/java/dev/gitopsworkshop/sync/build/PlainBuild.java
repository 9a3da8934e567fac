package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.sync.source.ArtifactPaths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The build without kustomize, for a machine without kubectl: plain manifests, and kustomizations
 * that only list {@code resources:}, built as kustomize would build them. Anything that needs
 * kustomize (a kustomize feature in a file, or a Kustomization field Flux hands to kustomize) fails
 * the build, naming it and saying why.
 */
final class PlainBuild {
  static final String WHY = "the embedded operator builds kustomizations with 'kubectl kustomize', and kubectl is not on"
      + " the lab's PATH: install kubectl and start the lab again, or run it with --cluster k3s";
  private static final Set<String> PLAIN = Set.of("apiVersion", "kind", "resources");
  private static final List<String> KUSTOMIZE_FIELDS = List.of("namePrefix", "nameSuffix", "patches", "images", "components",
      "buildMetadata");

  private PlainBuild() {}

  static List<Manifests.Text> build(ArtifactTree tree, String dir, JsonNode spec) {
    for (String field : KUSTOMIZE_FIELDS) {
      if (spec.has(field) && !(spec.get(field).isContainerNode() && spec.get(field).isEmpty())) {
        throw BuildFailure.build("kustomize build failed: spec." + field + " needs kustomize: " + WHY);
      }
    }
    List<Manifests.Text> out = new ArrayList<>();
    var file = tree.kustomizationFile(dir);
    if (file.isPresent()) {
      kustomization(tree, dir, file.get(), out);
    } else {
      List<String> resources = new ArrayList<>();
      KustomizationFile.scan(tree, dir, dir, resources);
      for (String r : resources) {
        resource(tree, dir, ArtifactTree.join(dir, "kustomization.yaml"), r, out);
      }
    }
    return out;
  }

  private static void kustomization(ArtifactTree tree, String dir, String file, List<Manifests.Text> out) {
    JsonNode k = KustomizationFile.read(tree, file);
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!PLAIN.contains(field)) {
        throw BuildFailure.build("kustomize build failed: " + file + " uses '" + field + "', which needs kustomize: " + WHY);
      }
    }
    for (JsonNode r : k.path("resources")) {
      resource(tree, dir, file, r.asText(), out);
    }
  }

  private static void resource(ArtifactTree tree, String dir, String file, String entry, List<Manifests.Text> out) {
    String target = ArtifactPaths.resolve(dir, entry);
    if (target != null && tree.isFile(target)) {
      out.addAll(Manifests.texts(target, tree.read(target)));
    } else if (target != null && tree.isDir(target)) {
      String nested = tree.kustomizationFile(target).orElseThrow(() -> BuildFailure.build("kustomize build failed: " + file
          + ": resource '" + entry + "' is a folder without kustomization.yaml (kustomize takes a folder only as a kustomization)"));
      kustomization(tree, target, nested, out);
    } else {
      throw BuildFailure.build("kustomize build failed: " + file + ": resource '" + entry + "' not found");
    }
  }
}
