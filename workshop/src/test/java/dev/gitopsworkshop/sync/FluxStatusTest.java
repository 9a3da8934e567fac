package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Mappers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status the embedded controllers write has Flux's shape, field for field. */
class FluxStatusTest {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  static JsonNode repo(String status) throws Exception {
    return Mappers.JSON.readTree("""
        {"metadata": {"name": "workshop", "namespace": "flux-system", "generation": 3,
                      "annotations": {"reconcile.fluxcd.io/requestedAt": "2026-11-24T10:00:00.123456789Z"}},
         "status": %s}""".formatted(status));
  }

  static ArtifactStore.Artifact artifact() {
    return new ArtifactStore.Artifact("main@sha1:" + SHA, Map.of("a.yaml", "x".getBytes(StandardCharsets.UTF_8)), "Add podinfo");
  }

  @Test
  void anIntervalOfZeroIsRefusedWithTheFieldNamed() throws Exception {
    JsonNode zero = Mappers.JSON.readTree("{\"spec\": {\"interval\": \"0s\"}}");
    var refused = org.junit.jupiter.api.Assertions.assertThrows(FluxStatus.InvalidInterval.class, () -> FluxStatus.intervalMillis(zero));
    assertTrue(refused.getMessage().startsWith("spec.interval 0s is refused"), refused.getMessage());
    assertEquals(90_000, FluxStatus.intervalMillis(Mappers.JSON.readTree("{\"spec\": {\"interval\": \"1m30s\"}}")));
  }

  @Test
  void aStoredArtifactLooksAsSourceControllerWritesIt() throws Exception {
    ObjectNode status = SourceController.stored(repo("{}"), artifact(), true);
    assertEquals(3, status.path("observedGeneration").asLong());
    assertEquals("2026-11-24T10:00:00.123456789Z", status.path("lastHandledReconcileAt").asText());
    JsonNode a = status.path("artifact");
    assertEquals("main@sha1:" + SHA, a.path("revision").asText());
    assertEquals("gitrepository/flux-system/workshop/" + SHA + ".tar.gz", a.path("path").asText());
    assertTrue(a.path("url").asText().endsWith("/" + a.path("path").asText()));
    assertTrue(a.path("digest").asText().matches("sha256:[0-9a-f]{64}"));
    assertTrue(a.path("lastUpdateTime").asText().endsWith("Z"));
    JsonNode ready = status.at("/conditions/0");
    assertEquals("Ready", ready.path("type").asText());
    assertEquals("True", ready.path("status").asText());
    assertEquals("Succeeded", ready.path("reason").asText());
    assertEquals("stored artifact for revision 'main@sha1:" + SHA + "'", ready.path("message").asText());
    assertEquals(3, ready.path("observedGeneration").asLong());
    assertEquals("ArtifactInStorage", status.at("/conditions/1/type").asText());
  }

  @Test
  void aFailedFetchKeepsTheLastArtifactAndSaysWhy() throws Exception {
    JsonNode repo = repo("{\"artifact\": {\"revision\": \"main@sha1:" + SHA + "\"}}");
    ObjectNode status = SourceController.failed(repo, "AuthenticationFailed", "the password was refused");
    assertEquals("main@sha1:" + SHA, status.at("/artifact/revision").asText());
    assertEquals("False", status.at("/conditions/0/status").asText());
    assertEquals("AuthenticationFailed", status.at("/conditions/0/reason").asText());
    assertEquals("FetchFailed", status.at("/conditions/1/type").asText());
    assertEquals("True", status.at("/conditions/1/status").asText());
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusHolds() throws Exception {
    JsonNode repo = repo("""
        {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}""");
    assertEquals("2026-01-01T00:00:00Z", FluxStatus.condition("Ready", true, "Succeeded", "m", repo).path("lastTransitionTime").asText());
    assertFalse(FluxStatus.condition("Ready", false, "Failed", "m", repo).path("lastTransitionTime").asText().startsWith("2026-01-01"));
    assertEquals("Unknown", FluxStatus.condition("Ready", null, "Progressing", "m", repo).path("status").asText());
  }

  @Test
  void aMissingSourceAndAFailingOneAreToldApart() throws Exception {
    assertEquals("Source 'GitRepository/workshop' not found",
        KustomizeController.sourceNotReady(null, ref("GitRepository", null), "flux-system", "workshop"));
    assertEquals("Source 'GitRepository/flux-system/workshop' not found",
        KustomizeController.sourceNotReady(null, ref("GitRepository", "flux-system"), "flux-system", "workshop"));
    JsonNode failing = repo("""
        {"conditions": [{"type": "Ready", "status": "False", "message": "authentication required"}]}""");
    String message = KustomizeController.sourceNotReady(failing, ref("GitRepository", null), "flux-system", "workshop");
    assertTrue(message.startsWith("Source artifact not found, retrying in"), message);
    assertTrue(message.endsWith("GitRepository flux-system/workshop is not ready: authentication required"), message);
  }

  static JsonNode ref(String kind, String namespace) throws Exception {
    return Mappers.JSON.readTree("{\"kind\": \"" + kind + "\"" + (namespace == null ? "" : ", \"namespace\": \"" + namespace + "\"") + "}");
  }
}
