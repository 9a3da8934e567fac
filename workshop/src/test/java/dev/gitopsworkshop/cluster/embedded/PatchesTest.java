package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void jsonPatchAddsReplacesRemovesAndTests() throws Exception {
    JsonNode doc = json("{'a':{'b':[1,2]},'c':'x'}");
    JsonNode out = Patches.jsonPatch(doc, json("""
        [{'op':'add','path':'/a/b/-','value':3},
         {'op':'replace','path':'/c','value':'y'},
         {'op':'remove','path':'/a/b/0'},
         {'op':'test','path':'/c','value':'y'},
         {'op':'copy','from':'/c','path':'/d'}]"""));
    assertEquals(json("{'a':{'b':[2,3]},'c':'y','d':'y'}"), out);
  }

  @Test
  void jsonPatchOnAMissingPathIsRejected() throws Exception {
    ApiException e = assertThrows(ApiException.class,
        () -> Patches.jsonPatch(json("{}"), json("[{'op':'remove','path':'/nope'}]")));
    assertEquals(422, e.code());
  }

  @Test
  void mergePatchDeletesNullsAndReplacesLists() throws Exception {
    JsonNode out = Patches.mergePatch(json("{'a':1,'b':{'c':2,'d':3},'l':[1,2]}"),
        json("{'a':null,'b':{'c':5},'l':[9]}"));
    assertEquals(json("{'b':{'c':5,'d':3},'l':[9]}"), out);
  }

  @Test
  void strategicMergeMergesContainersByNameAndPortsByContainerPort() throws Exception {
    JsonNode live = json("""
        {'spec':{'template':{'spec':{'containers':[
          {'name':'app','image':'a:1','ports':[{'containerPort':80,'protocol':'TCP'}]},
          {'name':'side','image':'s:1'}]}}}}""");
    JsonNode patch = json("""
        {'spec':{'template':{'spec':{'containers':[
          {'name':'app','image':'a:2','ports':[{'containerPort':80,'name':'http'}]}]}}}}""");
    JsonNode out = Patches.strategicMerge(live, patch);
    assertEquals(json("""
        {'spec':{'template':{'spec':{'containers':[
          {'name':'app','image':'a:2','ports':[{'containerPort':80,'protocol':'TCP','name':'http'}]},
          {'name':'side','image':'s:1'}]}}}}"""), out);
  }

  @Test
  void strategicMergeHonoursDeleteAndReplaceDirectives() throws Exception {
    JsonNode live = json("{'spec':{'containers':[{'name':'a'},{'name':'b'}],'volumes':[{'name':'v'}]}}");
    JsonNode out = Patches.strategicMerge(live, json("""
        {'spec':{'containers':[{'name':'a','$patch':'delete'}],
                 'volumes':[{'name':'w'},{'$patch':'replace'}],
                 '$setElementOrder/containers':[{'name':'b'}]}}"""));
    assertEquals(json("{'spec':{'containers':[{'name':'b'}],'volumes':[{'name':'w'}]}}"), out);
  }

  @Test
  void strategicMergeRetainsOnlyListedKeys() throws Exception {
    JsonNode live = json("{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}");
    JsonNode out = Patches.strategicMerge(live, json("{'strategy':{'type':'Recreate','$retainKeys':['type'],'rollingUpdate':null}}"));
    assertEquals(json("{'strategy':{'type':'Recreate'}}"), out);
  }

  @Test
  void strategicMergeUnionsFinalizersAndMergesConditionsByType() throws Exception {
    JsonNode live = json("{'metadata':{'finalizers':['a']},'status':{'conditions':[{'type':'Ready','status':'False'}]}}");
    JsonNode out = Patches.strategicMerge(live, json("""
        {'metadata':{'finalizers':['b','a']},
         'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Stalled','status':'False'}]}}"""));
    assertEquals(json("""
        {'metadata':{'finalizers':['a','b']},
         'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Stalled','status':'False'}]}}"""), out);
  }

  @Test
  void serviceListsMergePortsByPort() throws Exception {
    JsonNode live = json("{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}");
    JsonNode out = Patches.strategicMerge(live, json("{'spec':{'ports':[{'port':80,'targetPort':9898}]}}"));
    assertEquals(json("{'spec':{'ports':[{'port':80,'targetPort':9898},{'port':443}]}}"), out);
  }

  @Test
  void listsWithoutMergeKeyAreReplaced() throws Exception {
    JsonNode out = Patches.strategicMerge(json("{'args':['a','b']}"), json("{'args':['c']}"));
    assertEquals(json("{'args':['c']}"), out);
  }
}
