package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a Kustomization's {@code spec.path} holds, built as Flux builds it: every YAML manifest under
 * the path, recursively and multi-document; or, when the folder has a {@code kustomization.yaml},
 * the files and folders its {@code resources:} list. Other kustomize features are refused by name.
 */
final class ManifestSet {
  private static final YAMLMapper YAML = Mappers.YAML;

  /** A build that failed: the message names the file and the problem. */
  static final class BuildFailure extends RuntimeException {
    BuildFailure(String message) {
      super(message);
    }
  }

  /** One object and the file it came from. */
  record Manifest(ObjectNode object, String file) {}

  private ManifestSet() {}

  static List<Manifest> build(Map<String, byte[]> files, String path) {
    String root = normalize(path);
    if (!root.isEmpty() && files.keySet().stream().noneMatch(f -> f.startsWith(root + "/"))) {
      throw new BuildFailure("kustomization path not found: stat " + path + ": no such file or directory");
    }
    List<Manifest> out = new ArrayList<>();
    collect(files, root, out);
    return out;
  }

  private static void collect(Map<String, byte[]> files, String dir, List<Manifest> out) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
      if (files.containsKey(prefix + name)) {
        kustomization(files, prefix, prefix + name, out);
        return;
      }
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String p = f.getKey();
      if (p.startsWith(prefix) && (p.endsWith(".yaml") || p.endsWith(".yml"))) {
        parse(p, f.getValue(), out);
      }
    }
  }

  private static void kustomization(Map<String, byte[]> files, String prefix, String file, List<Manifest> out) {
    JsonNode k;
    try {
      k = YAML.readTree(files.get(file));
    } catch (IOException e) {
      throw new BuildFailure(file + ": " + firstLine(e));
    }
    k.fieldNames().forEachRemaining(field -> {
      if (!List.of("apiVersion", "kind", "resources").contains(field)) {
        throw new BuildFailure(file + ": the kustomize feature '" + field
            + "' is not supported by the workshop's embedded Flux (only 'resources' is); use plain manifests");
      }
    });
    for (JsonNode r : k.path("resources")) {
      String target = normalize(prefix + r.asText());
      if (files.containsKey(target)) {
        parse(target, files.get(target), out);
      } else if (files.keySet().stream().anyMatch(f -> f.startsWith(target + "/"))) {
        collect(files, target, out);
      } else {
        throw new BuildFailure(file + ": resource '" + r.asText() + "' not found");
      }
    }
  }

  private static void parse(String file, byte[] content, List<Manifest> out) {
    String text = new String(content, StandardCharsets.UTF_8);
    try (JsonParser parser = new YAMLFactory().createParser(text);
        MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
          continue;
        }
        if (!(doc instanceof ObjectNode obj)) {
          throw new BuildFailure(file + ": a manifest must be a YAML mapping, found " + doc.getNodeType().toString().toLowerCase());
        }
        if (obj.path("apiVersion").asText("").isEmpty() || obj.path("kind").asText("").isEmpty()) {
          throw new BuildFailure(file + ": missing apiVersion or kind in a manifest");
        }
        out.add(new Manifest(obj, file));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BuildFailure b) {
        throw b;
      }
      throw new BuildFailure(file + ": " + firstLine(e));
    }
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replaceAll("\\s*\\n\\s*", " ").replaceAll(" at \\[Source: .*$", "")
        .replace(" in 'reader',", "").replace("^ ", "").strip();
  }

  static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.replace('\\', '/').split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(p);
    }
    return String.join("/", parts);
  }
}
