package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The wait between applying a CRD and applying objects of its kind. A real API server (k3s, where no
 * Docker runs here) establishes a CRD a moment after storing it; the answers it gives in that moment
 * are written out below as the API serves them.
 */
class CrdEstablishedTest {
  static JsonNode crd(String establishedStatus) throws Exception {
    String conditions = establishedStatus == null ? "[]"
        : "[{\"type\":\"NamesAccepted\",\"status\":\"True\"},{\"type\":\"Established\",\"status\":\"" + establishedStatus + "\"}]";
    return Mappers.JSON.readTree("{\"metadata\":{\"name\":\"gitrepositories.source.toolkit.fluxcd.io\"},\"status\":{\"conditions\":"
        + conditions + "}}");
  }

  @Test
  void onlyAnEstablishedConditionThatIsTrueCounts() throws Exception {
    assertTrue(CrdEstablished.of(crd("True")));
    assertFalse(CrdEstablished.of(crd("False")));
    assertFalse(CrdEstablished.of(crd(null)), "just stored: no conditions yet");
    assertFalse(CrdEstablished.of(null), "not there at all");
  }

  @Test
  void waitsThroughTheAnswersOfANewCrdUntilItIsEstablished() throws Exception {
    List<JsonNode> answers = new ArrayList<>(List.of(crd(null), crd("False"), crd("False"), crd("True")));
    AtomicInteger asked = new AtomicInteger();
    List<String> told = new ArrayList<>();
    CrdEstablished.await("gitrepositories.source.toolkit.fluxcd.io", () -> answers.get(asked.getAndIncrement()), Duration.ofSeconds(30), told::add);
    assertEquals(4, asked.get(), "asked until the fourth answer said Established");
    assertEquals(List.of("waiting for the CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io to be established"), told);
  }

  @Test
  void aCrdThatNeverGetsEstablishedIsAnErrorNamingIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CrdEstablished.await("kustomizations.kustomize.toolkit.fluxcd.io", () -> null, Duration.ZERO, line -> { }));
    assertEquals("the CustomResourceDefinition kustomizations.kustomize.toolkit.fluxcd.io is not established after 0 s", e.getMessage());
  }
}
