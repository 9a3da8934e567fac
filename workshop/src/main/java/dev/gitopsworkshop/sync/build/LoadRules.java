package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.sync.source.ArtifactPaths;
import dev.gitopsworkshop.sync.source.Unsupported;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Flux's load rules for kustomize, checked before kustomize runs: a kustomization may load files
 * from anywhere inside the source artifact (not only below its own folder), never from outside it,
 * and the embedded operator loads no remote bases (it has no network to fetch them from). Every
 * kustomization the build reaches is checked: resources, components and bases, patches,
 * generators' files, transformers and the rest of kustomize's path fields.
 */
final class LoadRules {
  private static final List<String> REMOTE_PREFIXES = List.of("git::", "gh:", "ssh://", "https://", "http://", "git@",
      "github.com:", "github.com/");
  private static final List<String> BASES = List.of("resources", "bases", "components");
  private static final List<String> FILE_LISTS = List.of("crds", "configurations", "patchesStrategicMerge", "generators",
      "transformers", "validators");
  private static final List<String> PATH_OBJECTS = List.of("patches", "patchesJson6902", "replacements");

  private final ArtifactTree tree;
  private final Set<String> visited = new HashSet<>();

  private LoadRules(ArtifactTree tree) {
    this.tree = tree;
  }

  /** Flux's test for a local, relative path (kustomize's remote forms and absolute paths are not). */
  static boolean isLocalRelative(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (String p : REMOTE_PREFIXES) {
      if (p.length() < path.length() && lower.startsWith(p)) {
        return false;
      }
    }
    return !path.startsWith("/") && !lower.startsWith("file:///");
  }

  /** Checks the kustomization {@code k} of folder {@code dir} (written to {@code file}) and all it reaches. */
  static void check(ArtifactTree tree, String dir, String file, JsonNode k) {
    new LoadRules(tree).visit(dir, file, k);
  }

  private void visit(String dir, String file, JsonNode k) {
    if (!visited.add(file)) {
      return;
    }
    for (String field : BASES) {
      for (JsonNode entry : k.path(field)) {
        base(dir, file, field, entry.asText());
      }
    }
    for (String field : FILE_LISTS) {
      for (JsonNode entry : k.path(field)) {
        String path = entry.asText();
        if (!path.contains("\n")) { // otherwise an inline document
          String target = inside(dir, file, field, path);
          if (field.equals("generators") || field.equals("transformers") || field.equals("validators")) {
            tree.kustomizationFile(target).ifPresent(f -> visit(target, f, KustomizationFile.read(tree, f)));
          }
        }
      }
    }
    for (String field : PATH_OBJECTS) {
      for (JsonNode entry : k.path(field)) {
        if (entry.path("path").isTextual()) {
          inside(dir, file, field + ".path", entry.path("path").asText());
        }
      }
    }
    if (k.at("/openapi/path").isTextual()) {
      inside(dir, file, "openapi.path", k.at("/openapi/path").asText());
    }
    for (String generator : List.of("configMapGenerator", "secretGenerator")) {
      for (JsonNode g : k.path(generator)) {
        for (JsonNode f : g.path("files")) {
          String source = f.asText();
          inside(dir, file, generator + ".files", source.contains("=") ? source.substring(source.indexOf('=') + 1) : source);
        }
        for (JsonNode e : g.path("envs")) {
          inside(dir, file, generator + ".envs", e.asText());
        }
        if (g.path("env").isTextual()) {
          inside(dir, file, generator + ".env", g.path("env").asText());
        }
      }
    }
    for (String home : List.of("chartHome", "configHome")) {
      if (k.at("/helmGlobals/" + home).isTextual()) {
        inside(dir, file, "helmGlobals." + home, k.at("/helmGlobals/" + home).asText());
      }
    }
  }

  /** A resource, base or component: a file or folder of the artifact; a folder's kustomization is checked in turn. */
  private void base(String dir, String file, String field, String entry) {
    if (entry.startsWith("/")) {
      throw outside(file, field, entry);
    }
    if (isLocalRelative(entry) && !entry.contains("?ref=")) {
      String target = ArtifactPaths.resolve(dir, entry);
      if (target == null) {
        throw outside(file, field, entry);
      }
      if (tree.isDir(target)) {
        tree.kustomizationFile(target).ifPresent(f -> visit(target, f, KustomizationFile.read(tree, f)));
        return;
      }
      if (tree.isFile(target)) {
        return;
      }
      if (!looksRemote(entry)) {
        throw BuildFailure.build("kustomize build failed: " + file + ": " + singular(field) + " '" + entry
            + "' not found: no such file or folder in the source artifact");
      }
    }
    throw new BuildFailure(Unsupported.REASON, "kustomize build failed: " + file + ": " + Unsupported.message(
        "the remote " + singular(field) + " '" + entry + "'", "it loads kustomizations from the source artifact only, and"
            + " has no network to fetch remote bases from"));
  }

  private String inside(String dir, String file, String field, String path) {
    String target = isLocalRelative(path) ? ArtifactPaths.resolve(dir, path) : null;
    if (target == null) {
      throw outside(file, field, path);
    }
    return target;
  }

  private static BuildFailure outside(String file, String field, String path) {
    return BuildFailure.build("kustomize build failed: " + file + ": " + field + " '" + path
        + "' is outside the source artifact: Flux lets a kustomization load files from anywhere inside the artifact, never outside it");
  }

  private static boolean looksRemote(String entry) {
    String first = entry.split("/", 2)[0];
    return entry.contains("::") || first.contains(".") && !first.startsWith(".") && entry.contains("/");
  }

  private static String singular(String field) {
    return switch (field) {
      case "resources" -> "resource";
      case "bases" -> "base";
      default -> "component";
    };
  }
}
