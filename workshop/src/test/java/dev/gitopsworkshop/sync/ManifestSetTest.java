package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestSetTest {
  /** An artifact's files from alternating paths and contents. */
  static Map<String, byte[]> files(String... pathsAndContents) {
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n";

  @Test
  void readsEveryManifestUnderThePathRecursivelyAndMultiDocument() {
    var set = ManifestSet.build(files(
        "deploy/kubernetes/a.yaml", CM.formatted("a") + "---\n" + CM.formatted("b") + "---\n",
        "deploy/kubernetes/sub/c.yml", CM.formatted("c"),
        "deploy/kubernetes/notes.txt", "not a manifest",
        "examples/x.yaml", CM.formatted("outside")), "./deploy/kubernetes");
    assertEquals(List.of("a", "b", "c"), set.stream().map(m -> m.object().at("/metadata/name").asText()).toList());
  }

  @Test
  void honoursAKustomizationsResources() {
    var set = ManifestSet.build(files(
        "app/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [one.yaml, more]\n",
        "app/one.yaml", CM.formatted("one"),
        "app/ignored.yaml", CM.formatted("ignored"),
        "app/more/two.yaml", CM.formatted("two")), "app");
    assertEquals(List.of("one", "two"), set.stream().map(m -> m.object().at("/metadata/name").asText()).toList());
  }

  @Test
  void refusesOtherKustomizeFeaturesByName() {
    var e = assertThrows(ManifestSet.BuildFailure.class, () -> ManifestSet.build(files(
        "app/kustomization.yaml", "resources: [one.yaml]\nimages:\n- name: x\n", "app/one.yaml", CM.formatted("one")), "app"));
    assertTrue(e.getMessage().contains("'images' is not supported"), e.getMessage());
  }

  @Test
  void invalidYamlNamesTheFileAndTheParserMessage() {
    var e = assertThrows(ManifestSet.BuildFailure.class, () -> ManifestSet.build(files(
        "deploy/kubernetes/bad.yaml", "kind: ConfigMap\ndata: [oops\n"), "deploy/kubernetes"));
    assertTrue(e.getMessage().startsWith("deploy/kubernetes/bad.yaml: "), e.getMessage());
    assertTrue(e.getMessage().contains("line"), e.getMessage());
  }

  @Test
  void aManifestWithoutKindIsRefused() {
    var e = assertThrows(ManifestSet.BuildFailure.class, () -> ManifestSet.build(files(
        "d/x.yaml", "metadata:\n  name: x\n"), "d"));
    assertTrue(e.getMessage().contains("missing apiVersion or kind"), e.getMessage());
  }

  @Test
  void aMissingPathIsNamed() {
    var e = assertThrows(ManifestSet.BuildFailure.class, () -> ManifestSet.build(files("a/x.yaml", CM.formatted("x")), "./nope"));
    assertTrue(e.getMessage().contains("kustomization path not found"), e.getMessage());
  }
}
