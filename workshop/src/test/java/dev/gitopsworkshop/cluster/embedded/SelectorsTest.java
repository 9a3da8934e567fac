package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode labelled(String labelsJson) throws Exception {
    return (ObjectNode)
        JSON.readTree("{\"metadata\":{\"name\":\"n\",\"namespace\":\"default\",\"labels\":" + labelsJson + "},\"status\":{\"phase\":\"Running\"}}");
  }

  @Test
  void equalityInequalityAndExistence() throws Exception {
    ObjectNode o = labelled("{\"app\":\"podinfo\",\"tier\":\"web\"}");
    assertTrue(Selectors.labels("app=podinfo").test(o));
    assertTrue(Selectors.labels("app==podinfo,tier").test(o));
    assertFalse(Selectors.labels("app!=podinfo").test(o));
    assertTrue(Selectors.labels("!old").test(o));
    assertFalse(Selectors.labels("tier,!app").test(o));
  }

  @Test
  void setBasedSelectors() throws Exception {
    ObjectNode o = labelled("{\"app\":\"podinfo\",\"tier\":\"web\"}");
    assertTrue(Selectors.labels("tier in (web, api)").test(o));
    assertFalse(Selectors.labels("tier notin (web,api)").test(o));
    assertTrue(Selectors.labels("env notin (prod)").test(o));
    assertFalse(Selectors.labels("env in (prod),app=podinfo").test(o));
  }

  @Test
  void malformedSetIsABadRequest() {
    ApiException e = assertThrows(ApiException.class, () -> Selectors.labels("tier in web"));
    assertEquals(400, e.code());
  }

  @Test
  void fieldSelectorsOnAnyDottedField() throws Exception {
    ObjectNode o = labelled("{}");
    assertTrue(Selectors.fields("metadata.name=n,metadata.namespace=default").test(o));
    assertTrue(Selectors.fields("status.phase!=Pending").test(o));
    assertFalse(Selectors.fields("metadata.name==other").test(o));
  }

  @Test
  void workloadSelectorObject() throws Exception {
    ObjectNode o = labelled("{\"app\":\"podinfo\"}");
    assertTrue(Selectors.of(JSON.readTree("{\"matchLabels\":{\"app\":\"podinfo\"}}")).test(o));
    assertFalse(
        Selectors.of(JSON.readTree("{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"NotIn\",\"values\":[\"podinfo\"]}]}"))
            .test(o));
    assertFalse(Selectors.of(JSON.readTree("{}")).test(o), "an empty selector selects nothing for workloads");
  }
}
