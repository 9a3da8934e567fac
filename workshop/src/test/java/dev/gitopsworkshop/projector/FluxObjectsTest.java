package dev.gitopsworkshop.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

class FluxObjectsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static GenericKubernetesResource object(String json) throws Exception {
    return JSON.readValue(json, GenericKubernetesResource.class);
  }

  @Test
  void revisionsNameTheirCommit() {
    String sha = "95f470509bd4d67425cc03a49fdbaaeb3e39e11a";
    assertEquals(sha, FluxObjects.sha("main@sha1:" + sha));
    assertEquals(sha, FluxObjects.sha(sha));
    assertNull(FluxObjects.sha("v1.2.3"));
    assertNull(FluxObjects.sha(""));
  }

  @Test
  void imageObjectsShowWhatTheyLastDid() throws Exception {
    assertEquals("tag 6.5.1", FluxObjects.revision(object("{\"status\":{\"latestRef\":{\"name\":\"ghcr.io/stefanprodan/podinfo\",\"tag\":\"6.5.1\"}}}")));
    assertEquals("42 tags", FluxObjects.revision(object("{\"status\":{\"lastScanResult\":{\"tagCount\":42}}}")));
    assertEquals("pushed 95f4705", FluxObjects.revision(object("{\"status\":{\"lastPushCommit\":\"95f470509bd4d67425cc03a49fdbaaeb3e39e11a\"}}")));
    assertEquals("main@sha1:abc", FluxObjects.revision(object("{\"status\":{\"lastAppliedRevision\":\"main@sha1:abc\"}}")));
    assertEquals("", FluxObjects.revision(object("{\"metadata\":{\"name\":\"new\"}}")));
  }
}
