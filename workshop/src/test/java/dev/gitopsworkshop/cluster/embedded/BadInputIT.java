package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests a real API server rejects, rejected alike, and nothing stored changes. */
class BadInputIT {
  @TempDir Path dir;
  TestCluster cluster;
  String before;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir);
    var created = cluster.http("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"kept\"},\"data\":{\"k\":\"v\"}}", TestCluster.TOKEN);
    assertEquals(201, created.statusCode(), created.body());
    before = cluster.snapshot();
  }

  @AfterEach
  void unchanged() {
    try {
      assertEquals(before, cluster.snapshot(), "a rejected request changed what is stored");
    } finally {
      cluster.close();
    }
  }

  private static JsonNode status(java.net.http.HttpResponse<String> response) throws Exception {
    JsonNode s = Json.MAPPER.readTree(response.body());
    assertEquals("Status", s.path("kind").asText());
    assertEquals(response.statusCode(), s.path("code").asInt());
    return s;
  }

  @Test
  void rejectsInvalidJsonWith400() throws Exception {
    var r = cluster.http("POST", "/api/v1/namespaces/default/configmaps", "application/json", "{\"metadata\": ", TestCluster.TOKEN);
    assertEquals(400, r.statusCode());
    assertEquals("BadRequest", status(r).path("reason").asText(), r.body());
  }

  @Test
  void rejectsInvalidYamlWith400() throws Exception {
    var r = cluster.http("POST", "/api/v1/namespaces/default/configmaps", "application/yaml", "metadata: {name: x\n", TestCluster.TOKEN);
    assertEquals(400, r.statusCode());
    assertEquals("BadRequest", status(r).path("reason").asText(), r.body());
  }

  @Test
  void acceptsYamlBodies() throws Exception {
    var r = cluster.http("POST", "/api/v1/namespaces/default/configmaps", "application/yaml",
        "metadata: {name: from-yaml}\ndata: {a: b}\n", TestCluster.TOKEN);
    assertEquals(201, r.statusCode(), r.body());
    cluster.kubectl("delete", "configmap", "from-yaml").ok();
  }

  @Test
  void unknownResourceIs404() throws Exception {
    var r = cluster.http("GET", "/apis/example.com/v1/namespaces/default/widgets", null, null, TestCluster.TOKEN);
    assertEquals(404, r.statusCode());
    assertEquals("NotFound", status(r).path("reason").asText());
    var k = cluster.kubectl("get", "widgets");
    assertTrue(k.err().contains("the server doesn't have a resource type \"widgets\""), k.err());
  }

  @Test
  void deploymentWithoutSelectorIs422NamingTheField() throws Exception {
    var k = cluster.kubectlWithInput("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: bad}
        spec:
          template:
            metadata: {labels: {app: a}}
            spec: {containers: [{name: c, image: nginx}]}
        """, "apply", "-f", "-");
    assertNotEquals(0, k.exit());
    assertTrue(k.err().matches("(?s).*The Deployment(\\.apps)? \"bad\" is invalid: spec.selector: Required value.*"), k.err());
  }

  @Test
  void selectorNotMatchingTemplateLabelsIs422() throws Exception {
    var k = cluster.kubectlWithInput("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: bad}
        spec:
          selector: {matchLabels: {app: b}}
          template:
            metadata: {labels: {app: a}}
            spec: {containers: [{name: c}]}
        """, "apply", "-f", "-");
    assertNotEquals(0, k.exit());
    assertTrue(k.err().contains("spec.template.metadata.labels: Invalid value: {\"app\":\"a\"}: `selector` does not match template `labels`"), k.err());
    assertTrue(k.err().contains("spec.template.spec.containers[0].image: Required value"), k.err());
  }

  @Test
  void objectInMissingNamespaceIs404LikeKubeApiserver() throws Exception {
    var k = cluster.kubectlWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: nope}\n", "apply", "-f", "-");
    assertTrue(k.err().contains("namespaces \"nope\" not found"), k.err());
  }

  @Test
  void namespaceInBodyDifferentFromPathIs400() throws Exception {
    var r = cluster.http("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"x\",\"namespace\":\"kube-system\"}}", TestCluster.TOKEN);
    assertEquals(400, r.statusCode());
    assertTrue(status(r).path("message").asText().contains("does not match the namespace sent on the request"));
  }

  @Test
  void requestsWithoutTheTokenAre401() throws Exception {
    for (String token : new String[] {null, "wrong"}) {
      for (String path : new String[] {"/api/v1/namespaces/default/configmaps", "/healthz", "/version"}) {
        var r = cluster.http("GET", path, null, null, token);
        assertEquals(401, r.statusCode(), path);
        assertEquals("Unauthorized", status(r).path("reason").asText());
      }
    }
    var r = cluster.http("DELETE", "/api/v1/namespaces/default/configmaps/kept", null, null, null);
    assertEquals(401, r.statusCode());
  }

  @Test
  void bodiesOver3MiBAre413() throws Exception {
    String big = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  a: " + "x".repeat(3_200_000) + "\n";
    var k = cluster.kubectl("create", "-f", cluster.file("big.yaml", big).toString());
    assertNotEquals(0, k.exit());
    assertTrue(k.err().contains("Request entity too large: limit is 3145728"), k.err());
  }

  @Test
  void conflictingResourceVersionIs409() throws Exception {
    var r = cluster.http("PUT", "/api/v1/namespaces/default/configmaps/kept", "application/json",
        "{\"metadata\":{\"name\":\"kept\",\"resourceVersion\":\"1\"},\"data\":{\"k\":\"changed\"}}", TestCluster.TOKEN);
    assertEquals(409, r.statusCode());
    assertEquals("Conflict", status(r).path("reason").asText());
  }
}
