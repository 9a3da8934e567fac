package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.sync.build.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The offline flux/install.yaml against Flux's genuine release manifest, when the user's cache
 * holds it ({@code scripts/workshop prefetch}; or a file named by {@code -Dflux.genuine=FILE}):
 * the same kinds at the same storage versions, and every spec and status field with the same
 * name and type. Skipped where neither is there (this machine cannot download it).
 */
class GenuineManifestSchemasTest {

  @Test
  void offlineCrdsHaveTheGenuineFieldsAndTypes() throws Exception {
    Path genuine = System.getProperty("flux.genuine") != null ? Path.of(System.getProperty("flux.genuine")) : FluxManifests.cachedFile();
    assumeTrue(Files.isRegularFile(genuine), "no genuine Flux manifest in " + genuine + " (run 'scripts/workshop prefetch')");
    Map<String, Map<String, String>> offline = fields(Cli.projectRoot().resolve("flux/install.yaml"));
    Map<String, Map<String, String>> real = fields(genuine);
    assertEquals(real.keySet(), offline.keySet(), "the kinds and storage versions served");
    List<String> differences = new ArrayList<>();
    real.forEach((kind, realFields) -> {
      Map<String, String> ours = offline.get(kind);
      realFields.forEach((path, type) -> {
        if (!type.equals(ours.get(path))) {
          differences.add(kind + " " + path + ": Flux has " + type + ", flux/install.yaml " + ours.get(path));
        }
      });
      ours.keySet().stream().filter(p -> !realFields.containsKey(p))
          .forEach(p -> differences.add(kind + " " + p + ": not in Flux's schema"));
    });
    assertEquals(List.of(), differences);
  }

  /** For each CRD's storage version ({@code Kind group/version}): field path to type. */
  static Map<String, Map<String, String>> fields(Path manifest) throws Exception {
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (var m : Manifests.parse(manifest.getFileName().toString(), Files.readAllBytes(manifest))) {
      ObjectNode crd = m.object();
      if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
        continue;
      }
      for (JsonNode v : crd.at("/spec/versions")) {
        if (!v.path("storage").asBoolean()) {
          continue;
        }
        Map<String, String> paths = new TreeMap<>();
        JsonNode schema = v.at("/schema/openAPIV3Schema/properties");
        for (String part : List.of("spec", "status")) {
          if (schema.has(part)) {
            walk(schema.get(part), part, paths);
          }
        }
        out.put(crd.at("/spec/names/kind").asText() + " " + crd.at("/spec/group").asText() + "/" + v.path("name").asText(), paths);
      }
    }
    return out;
  }

  private static void walk(JsonNode s, String path, Map<String, String> out) {
    String type = s.path("x-kubernetes-int-or-string").asBoolean() ? "int-or-string"
        : s.path("x-kubernetes-preserve-unknown-fields").asBoolean() && !s.has("type") ? "any" : s.path("type").asText("?");
    out.put(path, type);
    s.path("properties").fields().forEachRemaining(p -> walk(p.getValue(), path + "." + p.getKey(), out));
    if (s.path("items").isObject()) {
      walk(s.get("items"), path + "[]", out);
    }
    if (s.path("additionalProperties").isObject()) {
      walk(s.get("additionalProperties"), path + "{}", out);
    }
  }
}
