package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceType.PrinterColumn;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {
  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void agesReadLikeKubectl() {
    assertEquals("45s", Tables.human(Duration.ofSeconds(45)));
    assertEquals("119s", Tables.human(Duration.ofSeconds(119)));
    assertEquals("3m12s", Tables.human(Duration.ofSeconds(192)));
    assertEquals("17m", Tables.human(Duration.ofMinutes(17)));
    assertEquals("5h3m", Tables.human(Duration.ofMinutes(303)));
    assertEquals("30h", Tables.human(Duration.ofHours(30)));
    assertEquals("2d4h", Tables.human(Duration.ofHours(52)));
    assertEquals("40d", Tables.human(Duration.ofDays(40)));
    assertEquals("3y12d", Tables.human(Duration.ofDays(3 * 365 + 12)));
  }

  @Test
  void podStatusShowsWaitingReasonsAndTerminating() throws Exception {
    ObjectNode pod = json("""
        {'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]},
         'status':{'phase':'Pending','containerStatuses':[{'name':'c','ready':false,'restartCount':2,
           'state':{'waiting':{'reason':'ImagePullBackOff'}}}]}}""");
    assertEquals("ImagePullBackOff", PodRow.reason(pod));
    List<Object> cells = PodRow.cells(pod, "1m");
    assertEquals(List.of("p", "0/1", "ImagePullBackOff", "2", "1m", "<none>", "<none>", "<none>", "<none>"), cells);
    pod.with("metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
    assertEquals("Terminating", PodRow.reason(pod));
  }

  @Test
  void deploymentRowsHaveReadyUpToDateAvailableAndWideColumns() throws Exception {
    ResourceType deployments = new ResourceTypes().byPlural("apps", "v1", "deployments").orElseThrow();
    ObjectNode d = json("""
        {'metadata':{'name':'web','creationTimestamp':'2020-01-01T00:00:00Z'},
         'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'}},
                 'template':{'spec':{'containers':[{'name':'c','image':'nginx:1'}]}}},
         'status':{'readyReplicas':2,'updatedReplicas':3,'availableReplicas':2}}""");
    JsonNode table = Tables.table(deployments, List.of(d), Tables.Include.METADATA, 7);
    List<String> names = table.findValuesAsText("name").subList(0, 8);
    assertEquals(List.of("Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"), names);
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertEquals("2/3", cells.get(1).asText());
    assertEquals(3, cells.get(2).asInt());
    assertEquals("app=web", cells.get(7).asText());
    assertEquals("PartialObjectMetadata", table.path("rows").get(0).path("object").path("kind").asText());
  }

  @Test
  void customResourcesUsePrinterColumnsWithJsonPathFilters() throws Exception {
    ResourceType widgets = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
        List.of(), List.of(), List.of("status"),
        List.of(new PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "", 0),
            new PrinterColumn("Replicas", "integer", ".spec.replicas", "", 0)), false);
    ObjectNode w = json("""
        {'metadata':{'name':'w'},'spec':{'replicas':2},
         'status':{'conditions':[{'type':'Stalled','status':'False'},{'type':'Ready','status':'True'}]}}""");
    assertEquals(List.of("w", "True", 2L), Tables.cells(widgets, w));
  }

  @Test
  void serviceShowsPortsAndExternalAddress() throws Exception {
    ResourceType services = new ResourceTypes().byPlural("", "v1", "services").orElseThrow();
    ObjectNode svc = json("""
        {'metadata':{'name':'s'},'spec':{'type':'NodePort','clusterIP':'10.96.0.9',
         'ports':[{'port':80,'nodePort':30080,'protocol':'TCP'}],'selector':{'app':'a'}}}""");
    List<Object> cells = Tables.cells(services, svc);
    assertEquals("NodePort", cells.get(1));
    assertEquals("<none>", cells.get(3));
    assertEquals("80:30080/TCP", cells.get(4));
  }
}
