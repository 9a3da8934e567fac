package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conditions keep Flux's order and their transition times. */
class ConditionsTest {
  @Test
  void stalledReconcilingReadyComeFirstThenTheRestByType() throws Exception {
    JsonNode ks = Mappers.JSON.readTree("""
        {"metadata": {"generation": 2}, "status": {"conditions": [
          {"type": "Ready", "status": "False", "lastTransitionTime": "2026-01-01T00:00:00Z", "reason": "X", "message": "m"}]}}""");
    var array = new Conditions(ks).set("Healthy", true, "Succeeded", "ok").set("Reconciling", true, "Progressing", "p")
        .set("Ready", false, "HealthCheckFailed", "h").set("Stalled", true, "S", "s").array();
    List<String> types = new ArrayList<>();
    array.forEach(c -> types.add(c.path("type").asText()));
    assertEquals(List.of("Stalled", "Reconciling", "Ready", "Healthy"), types);
    assertEquals("2026-01-01T00:00:00Z", array.get(2).path("lastTransitionTime").asText(), "Ready stayed False");
    assertEquals(2, array.get(2).path("observedGeneration").asLong());
  }

  @Test
  void removedConditionsAreGone() throws Exception {
    JsonNode ks = Mappers.JSON.readTree("""
        {"status": {"conditions": [{"type": "Reconciling", "status": "True"}, {"type": "Ready", "status": "Unknown"}]}}""");
    var array = new Conditions(ks).remove("Reconciling").set("Ready", true, "ReconciliationSucceeded", "Applied revision: r").array();
    assertEquals(1, array.size());
    assertEquals("True", array.get(0).path("status").asText());
  }
}
