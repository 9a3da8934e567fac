package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controllers' lines, as a Flux controller's container writes them (through the ContainerLog seam). */
class FluxLogTest {
  @Test
  void aReconcileLineCarriesTheObjectAndTheReconcileId() throws Exception {
    List<String> lines = new ArrayList<>();
    FluxLog log = new FluxLog(lines::add);
    FluxLog.Reconcile r = log.reconcile(FluxKinds.KUSTOMIZATION, "flux-system", "workshop");
    r.info("Reconciliation finished in 83.5ms, next run in 1m0s", "revision", "main@sha1:abc");
    r.error("Reconciliation failed after 1.2s, next try in 1m0s", "Deployment/default/x dry-run failed", "revision", "main@sha1:abc");
    JsonNode info = Mappers.JSON.readTree(lines.get(0));
    List<String> keys = new ArrayList<>();
    info.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("level", "ts", "msg", "controller", "controllerGroup", "controllerKind", "Kustomization", "namespace", "name",
        "reconcileID", "revision"), keys);
    assertEquals("info", info.path("level").asText());
    assertTrue(info.path("ts").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), info.path("ts").asText());
    assertEquals("kustomization", info.path("controller").asText());
    assertEquals("kustomize.toolkit.fluxcd.io", info.path("controllerGroup").asText());
    assertEquals("{\"name\":\"workshop\",\"namespace\":\"flux-system\"}", info.path("Kustomization").toString());
    JsonNode error = Mappers.JSON.readTree(lines.get(1));
    assertEquals("error", error.path("level").asText());
    assertEquals(info.path("reconcileID").asText(), error.path("reconcileID").asText());
    assertEquals("Deployment/default/x dry-run failed", error.path("error").asText());
    assertTrue(lines.get(1).endsWith("\"error\":\"Deployment/default/x dry-run failed\"}"), lines.get(1));
  }

  @Test
  void aStartLineNamesItsLogger() throws Exception {
    List<String> lines = new ArrayList<>();
    new FluxLog(lines::add).info("setup", "starting manager");
    assertTrue(lines.get(0).matches("\\{\"level\":\"info\",\"ts\":\"[^\"]+\",\"logger\":\"setup\",\"msg\":\"starting manager\"}"), lines.get(0));
  }
}
