package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The fields kube-apiserver will not change on an update, refused with its words (what force looks for). */
class ImmutableFieldsTest {
  final ResourceTypes types = new ResourceTypes();

  static ObjectNode json(String text) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(text);
  }

  @Test
  void aWorkloadsSelectorCannotChange() throws Exception {
    ResourceType deployments = types.byPlural("apps", "v1", "deployments").orElseThrow();
    ObjectNode live = json("{\"metadata\": {\"name\": \"web\"}, \"spec\": {\"selector\": {\"matchLabels\": {\"app\": \"web\"}}, \"replicas\": 1}}");
    assertDoesNotThrow(() -> ImmutableFields.check(deployments, live,
        json("{\"metadata\": {\"name\": \"web\"}, \"spec\": {\"selector\": {\"matchLabels\": {\"app\": \"web\"}}, \"replicas\": 3}}")));
    ApiException e = assertThrows(ApiException.class, () -> ImmutableFields.check(deployments, live,
        json("{\"metadata\": {\"name\": \"web\"}, \"spec\": {\"selector\": {\"matchLabels\": {\"app\": \"api\"}}}}")));
    assertEquals(422, e.code());
    assertEquals("Deployment \"web\" is invalid: spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"api\"}}: field is immutable",
        e.getMessage());
    assertDoesNotThrow(() -> ImmutableFields.check(deployments, null, live), "a create has nothing to compare with");
  }

  @Test
  void anImmutableConfigMapKeepsItsData() throws Exception {
    ResourceType configMaps = types.byPlural("", "v1", "configmaps").orElseThrow();
    ObjectNode live = json("{\"metadata\": {\"name\": \"frozen\"}, \"immutable\": true, \"data\": {\"k\": \"v1\"}}");
    ApiException e = assertThrows(ApiException.class, () -> ImmutableFields.check(configMaps, live,
        json("{\"metadata\": {\"name\": \"frozen\"}, \"immutable\": true, \"data\": {\"k\": \"v2\"}}")));
    assertEquals("ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set", e.getMessage());
    assertDoesNotThrow(() -> ImmutableFields.check(configMaps, json("{\"metadata\": {\"name\": \"m\"}, \"data\": {\"k\": \"v1\"}}"),
        json("{\"metadata\": {\"name\": \"m\"}, \"data\": {\"k\": \"v2\"}}")), "a mutable one changes");
  }
}
