package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  @Test
  void versionsArePreferredByStability() {
    List<String> versions = new ArrayList<>(List.of("v1beta1", "v1alpha1", "v1", "v2", "v1beta2", "foo"));
    versions.sort(Discovery.VERSION_ORDER);
    assertEquals(List.of("v2", "v1", "v1beta2", "v1beta1", "v1alpha1", "foo"), versions);
  }

  @Test
  void resourceListsShowSubresourcesAndFollowCustomKinds() {
    ResourceTypes types = new ResourceTypes();
    Discovery discovery = new Discovery(types);
    JsonNode apps = discovery.resources("apps", "v1");
    List<String> names = apps.path("resources").findValuesAsText("name");
    assertTrue(names.containsAll(List.of("deployments", "deployments/status", "deployments/scale")), names.toString());
    assertNull(discovery.resources("example.com", "v1"));
    types.add(new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
        List.of("wd"), List.of(), List.of(), List.of(), false));
    assertEquals("Widget", discovery.resources("example.com", "v1").path("resources").get(0).path("kind").asText());
    assertTrue(discovery.groups().toString().contains("\"example.com/v1\""));
  }
}
