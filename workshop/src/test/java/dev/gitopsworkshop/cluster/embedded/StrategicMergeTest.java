package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The strategic merge cases kubectl apply, set image and rollout undo lean on. */
class StrategicMergeTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void containerPortsMergeByContainerPort() throws Exception {
    JsonNode live = json("""
        {'spec':{'template':{'spec':{'containers':[
          {'name':'app','image':'a:1','ports':[{'containerPort':80,'protocol':'TCP'}]},
          {'name':'side','image':'s:1'}]}}}}""");
    JsonNode patch = json("""
        {'spec':{'template':{'spec':{'containers':[
          {'name':'app','image':'a:2','ports':[{'containerPort':80,'name':'http'}]}]}}}}""");
    assertEquals(json("""
        {'spec':{'template':{'spec':{'containers':[
          {'name':'app','image':'a:2','ports':[{'containerPort':80,'protocol':'TCP','name':'http'}]},
          {'name':'side','image':'s:1'}]}}}}"""), Patches.strategicMerge(live, patch));
  }

  @Test
  void setElementOrderDirectivesAreTolerated() throws Exception {
    JsonNode live = json("{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}");
    JsonNode out = Patches.strategicMerge(live, json(
        "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],'containers':[{'name':'b','image':'x'}]}}"));
    assertEquals(json("{'spec':{'containers':[{'name':'a'},{'name':'b','image':'x'}]}}"), out);
  }

  @Test
  void retainKeysDropsTheRest() throws Exception {
    JsonNode live = json("{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}");
    JsonNode out = Patches.strategicMerge(live, json("{'strategy':{'type':'Recreate','$retainKeys':['type'],'rollingUpdate':null}}"));
    assertEquals(json("{'strategy':{'type':'Recreate'}}"), out);
  }

  @Test
  void conditionsMergeByType() throws Exception {
    JsonNode live = json("{'status':{'conditions':[{'type':'Ready','status':'False'}]}}");
    JsonNode out = Patches.strategicMerge(live, json(
        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Stalled','status':'False'}]}}"));
    assertEquals(json("{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Stalled','status':'False'}]}}"), out);
  }

  @Test
  void servicePortsMergeByPort() throws Exception {
    JsonNode live = json("{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}");
    JsonNode out = Patches.strategicMerge(live, json("{'spec':{'ports':[{'port':80,'targetPort':9898}]}}"));
    assertEquals(json("{'spec':{'ports':[{'port':80,'targetPort':9898},{'port':443}]}}"), out);
  }

  @Test
  void listsWithoutAMergeKeyAreReplaced() throws Exception {
    assertEquals(json("{'args':['c']}"), Patches.strategicMerge(json("{'args':['a','b']}"), json("{'args':['c']}")));
  }
}
