package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  private static ObjectNode obj(String labels) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(
        ("{'metadata':{'name':'n','namespace':'ns','labels':" + labels + "},'status':{'phase':'Running'}}").replace('\'', '"'));
  }

  @Test
  void labelSelectorsSupportEqualityAndSets() throws Exception {
    ObjectNode o = obj("{'app':'web','tier':'front'}");
    assertTrue(Selectors.labels("app=web").test(o));
    assertTrue(Selectors.labels("app==web,tier").test(o));
    assertFalse(Selectors.labels("app!=web").test(o));
    assertTrue(Selectors.labels("tier in (front, back)").test(o));
    assertFalse(Selectors.labels("tier notin (front)").test(o));
    assertTrue(Selectors.labels("!old").test(o));
    assertFalse(Selectors.labels("app,!tier").test(o));
  }

  @Test
  void badSetSyntaxIs400() {
    ApiException e = assertThrows(ApiException.class, () -> Selectors.labels("tier in front"));
    assertEquals(400, e.code());
  }

  @Test
  void fieldSelectorsReadDottedFields() throws Exception {
    ObjectNode o = obj("{}");
    assertTrue(Selectors.fields("metadata.name=n,metadata.namespace==ns").test(o));
    assertTrue(Selectors.fields("status.phase!=Pending").test(o));
    assertFalse(Selectors.fields("metadata.name=m").test(o));
  }
}
