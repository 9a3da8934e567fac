package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  private static final String POD = "{'spec':{'containers':[{'name':'a','image':'a:1','env':[{'name':'X','value':'1'}]},{'name':'b','image':'b:1'}]}}";

  @Test
  void strategicMergeMergesContainersByNameAndKeepsTheOthers() throws Exception {
    JsonNode out = Patches.strategicMerge(json(POD), json("{'spec':{'containers':[{'name':'b','image':'b:2'}]}}"));
    assertEquals("a:1", out.at("/spec/containers/0/image").asText());
    assertEquals("b:2", out.at("/spec/containers/1/image").asText());
  }

  @Test
  void strategicMergeDeletesAndReplacesOnRequest() throws Exception {
    JsonNode deleted = Patches.strategicMerge(json(POD), json("{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}"));
    assertEquals(1, deleted.at("/spec/containers").size());
    JsonNode replaced = Patches.strategicMerge(json(POD), json("{'spec':{'$patch':'replace','containers':[{'name':'c','image':'c:1'}]}}"));
    assertEquals("c", replaced.at("/spec/containers/0/name").asText());
    assertEquals(1, replaced.at("/spec/containers").size());
  }

  @Test
  void mergePatchReplacesListsAndNullRemoves() throws Exception {
    JsonNode out = Patches.mergePatch(json(POD), json("{'spec':{'containers':[{'name':'z'}]},'metadata':null}"));
    assertEquals(1, out.at("/spec/containers").size());
    assertEquals("z", out.at("/spec/containers/0/name").asText());
  }

  @Test
  void jsonPatchAppliesOperationsAndRefusesAMissingPath() throws Exception {
    ObjectNode out = Patches.jsonPatch((ObjectNode) json(POD), json("[{'op':'replace','path':'/spec/containers/0/image','value':'a:2'},{'op':'add','path':'/spec/containers/-','value':{'name':'c'}}]"));
    assertEquals("a:2", out.at("/spec/containers/0/image").asText());
    assertEquals("c", out.at("/spec/containers/2/name").asText());
    ApiException e = assertThrows(ApiException.class,
        () -> Patches.jsonPatch((ObjectNode) json(POD), json("[{'op':'remove','path':'/spec/nothing'}]")));
    assertEquals(422, e.code());
  }

  private static ApiException refused(String patch) {
    return assertThrows(ApiException.class, () -> Patches.jsonPatch((ObjectNode) json(POD), json(patch)));
  }

  @Test
  void jsonPatchRefusesAnIndexThatIsNotANumberWith422NotA500() {
    ApiException e = refused("[{'op':'add','path':'/spec/containers/first','value':{'name':'c'}}]");
    assertEquals(422, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("/spec/containers/first"), e.getMessage());
  }

  @Test
  void jsonPatchRefusesAnInsertPastTheEndInsteadOfAppending() {
    assertEquals(422, refused("[{'op':'add','path':'/spec/containers/5','value':{'name':'c'}}]").code());
  }

  @Test
  void jsonPatchTestComparesNumbersByValue() throws Exception {
    ObjectNode scaled = (ObjectNode) json("{'spec':{'replicas':1}}");
    ObjectNode out = Patches.jsonPatch(scaled, json("[{'op':'test','path':'/spec/replicas','value':1.0},{'op':'replace','path':'/spec/replicas','value':4}]"));
    assertEquals(4, out.at("/spec/replicas").asInt());
    ApiException e = assertThrows(ApiException.class, () -> Patches.jsonPatch(scaled, json("[{'op':'test','path':'/spec/replicas','value':2}]")));
    assertEquals(422, e.code());
    assertEquals("testing value /spec/replicas failed: test failed", e.getMessage());
  }

  @Test
  void serverSideApplyRemovesWhatTheSameManagerStoppedApplying() throws Exception {
    ObjectNode live = (ObjectNode) json("{'metadata':{'name':'x','labels':{'keep':'1'}}}");
    ObjectNode first = ServerSideApply.apply(live, (ObjectNode) json("{'metadata':{'name':'x','labels':{'a':'1','b':'2'}}}"), "m", "v1");
    ObjectNode second = ServerSideApply.apply(first, (ObjectNode) json("{'metadata':{'name':'x','labels':{'a':'1'}}}"), "m", "v1");
    assertEquals("{\"keep\":\"1\",\"a\":\"1\"}", second.at("/metadata/labels").toString());
  }
}
