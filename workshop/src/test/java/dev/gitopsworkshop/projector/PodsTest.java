package dev.gitopsworkshop.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

class PodsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static GenericKubernetesResource pod(String json) throws Exception {
    return JSON.readValue(json, GenericKubernetesResource.class);
  }

  private static String state(String json) throws Exception {
    return Pods.box(pod(json)).path("state").asText();
  }

  @Test
  void coloursFollowThePodsPhaseReadinessAndDeletion() throws Exception {
    assertEquals("starting", state("{\"metadata\":{\"name\":\"p\"},\"status\":{\"phase\":\"Pending\"}}"));
    assertEquals("starting", state("{\"metadata\":{\"name\":\"p\"}}"));
    assertEquals("ready", state("{\"metadata\":{\"name\":\"p\"},\"status\":{\"phase\":\"Running\","
        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"));
    assertEquals("unready", state("{\"metadata\":{\"name\":\"p\"},\"status\":{\"phase\":\"Running\","
        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}"));
    assertEquals("terminating", state("{\"metadata\":{\"name\":\"p\",\"deletionTimestamp\":\"2026-11-30T10:00:00Z\"},"
        + "\"status\":{\"phase\":\"Running\"}}"));
    GenericKubernetesResource pulling = pod("{\"metadata\":{\"name\":\"p\"},\"status\":{\"phase\":\"Pending\","
        + "\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\"}}}]}}");
    assertEquals("failed", Pods.box(pulling).path("state").asText());
    assertEquals("ImagePullBackOff", Pods.box(pulling).path("detail").asText());
  }
}
