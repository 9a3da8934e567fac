package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.gitopsworkshop.sync.build.Manifests;
import org.junit.jupiter.api.Test;

/**
 * flux/install.yaml installs the operator with Flux's names, and only the operator: the sync
 * configuration and the credentials stay in their own files.
 */
class InstallManifestTest {
  static final Path FLUX = Cli.projectRoot().resolve("flux");

  static List<ObjectNode> objects(String file) throws Exception {
    List<ObjectNode> out = new ArrayList<>();
    Manifests.parse(file, Files.readAllBytes(FLUX.resolve(file))).forEach(m -> out.add(m.object()));
    return out;
  }

  static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("install.yaml has no " + kind + "/" + name));
  }

  @Test
  void definesFluxKindsWithFluxShortNamesAndColumns() throws Exception {
    List<ObjectNode> install = objects("install.yaml");
    JsonNode git = find(install, "CustomResourceDefinition", "gitrepositories.source.toolkit.fluxcd.io").path("spec");
    assertEquals("gitrepo", git.at("/names/shortNames/0").asText());
    assertEquals("v1", git.at("/versions/0/name").asText());
    List<String> columns = new ArrayList<>();
    git.at("/versions/0/additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
    assertEquals(List.of("URL", "Age", "Ready", "Status"), columns);
    assertTrue(git.at("/versions/0/subresources/status").isObject());
    JsonNode ks = find(install, "CustomResourceDefinition", "kustomizations.kustomize.toolkit.fluxcd.io").path("spec");
    assertEquals("ks", ks.at("/names/shortNames/0").asText());
    assertEquals("imgrepo", find(install, "CustomResourceDefinition", "imagerepositories.image.toolkit.fluxcd.io")
        .at("/spec/names/shortNames/0").asText());
    assertEquals("imgpol", find(install, "CustomResourceDefinition", "imagepolicies.image.toolkit.fluxcd.io")
        .at("/spec/names/shortNames/0").asText());
    assertTrue(find(install, "CustomResourceDefinition", "imageupdateautomations.image.toolkit.fluxcd.io")
        .at("/spec/names/shortNames").toString().contains("imgupd"));
  }

  /** Every kind a Flux v2.9 install serves, at its storage version, with a schema of its own fields. */
  @Test
  void servesEveryFluxKindWithASchemaForEachSpecField() throws Exception {
    Map<String, String> expected = new java.util.TreeMap<>(Map.ofEntries(
        Map.entry("GitRepository", "source.toolkit.fluxcd.io/v1"), Map.entry("OCIRepository", "source.toolkit.fluxcd.io/v1"),
        Map.entry("HelmRepository", "source.toolkit.fluxcd.io/v1"), Map.entry("HelmChart", "source.toolkit.fluxcd.io/v1"),
        Map.entry("Bucket", "source.toolkit.fluxcd.io/v1"), Map.entry("ExternalArtifact", "source.toolkit.fluxcd.io/v1"),
        Map.entry("Kustomization", "kustomize.toolkit.fluxcd.io/v1"), Map.entry("HelmRelease", "helm.toolkit.fluxcd.io/v2"),
        Map.entry("Alert", "notification.toolkit.fluxcd.io/v1beta3"), Map.entry("Provider", "notification.toolkit.fluxcd.io/v1beta3"),
        Map.entry("Receiver", "notification.toolkit.fluxcd.io/v1"), Map.entry("ImageRepository", "image.toolkit.fluxcd.io/v1"),
        Map.entry("ImagePolicy", "image.toolkit.fluxcd.io/v1"), Map.entry("ImageUpdateAutomation", "image.toolkit.fluxcd.io/v1"),
        Map.entry("ArtifactGenerator", "source.extensions.fluxcd.io/v1beta1")));
    Map<String, String> served = new java.util.TreeMap<>();
    for (ObjectNode crd : objects("install.yaml")) {
      if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
        continue;
      }
      JsonNode spec = crd.path("spec");
      for (JsonNode v : spec.path("versions")) {
        String kind = spec.at("/names/kind").asText();
        assertTrue(v.path("served").asBoolean() && v.path("storage").asBoolean(), kind);
        served.put(kind, spec.path("group").asText() + "/" + v.path("name").asText());
        JsonNode schema = v.at("/schema/openAPIV3Schema/properties/spec");
        assertEquals("object", schema.path("type").asText(), kind);
        assertFalse(schema.has("x-kubernetes-preserve-unknown-fields"), kind + " spec accepts any field");
        assertFalse(schema.path("properties").isEmpty(), kind);
        schema.path("properties").fields().forEachRemaining(f -> {
          assertFalse(f.getValue().path("description").asText().isBlank(), kind + " spec." + f.getKey() + " has no description");
          assertTrue(f.getValue().has("type") || f.getValue().has("x-kubernetes-preserve-unknown-fields"),
              kind + " spec." + f.getKey() + " has no type");
        });
      }
    }
    assertEquals(expected, served);
  }

  @Test
  void runsFluxControllerImagesOfThePinnedRelease() throws Exception {
    List<ObjectNode> install = objects("install.yaml");
    String version = find(install, "Namespace", "flux-system").at("/metadata/labels/app.kubernetes.io~1version").asText();
    assertEquals("v2.9.0", version);
    for (String controller : List.of("source-controller", "kustomize-controller", "image-reflector-controller",
        "image-automation-controller")) {
      JsonNode d = find(install, "Deployment", controller);
      assertEquals("flux-system", d.at("/metadata/namespace").asText());
      assertEquals(controller, d.at("/spec/template/metadata/labels/app").asText());
      String image = d.at("/spec/template/spec/containers/0/image").asText();
      assertTrue(image.startsWith("ghcr.io/fluxcd/" + controller + ":v1."), image);
      assertEquals("healthz", d.at("/spec/template/spec/containers/0/livenessProbe/httpGet/port").asText());
    }
    assertEquals("http", find(install, "Service", "source-controller").at("/spec/ports/0/targetPort").asText());
  }

  @Test
  void installsOnlyTheOperator() throws Exception {
    for (ObjectNode o : objects("install.yaml")) {
      String kind = o.path("kind").asText();
      assertFalse(List.of("GitRepository", "Kustomization", "Secret").contains(kind), "install.yaml holds a " + kind);
    }
    assertEquals("${WORKSHOP_GIT_URL}", find(objects("workshop-source.yaml"), "GitRepository", "workshop").at("/spec/url").asText());
    JsonNode sync = find(objects("workshop-sync.yaml"), "Kustomization", "workshop").path("spec");
    assertEquals("./deploy/kubernetes", sync.path("path").asText());
    assertTrue(sync.path("prune").asBoolean());
    assertEquals("flux", find(objects("git-credentials.yaml"), "Secret", "workshop-git").at("/stringData/username").asText());
  }
}
