package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.support.Background;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the embedded API server. */
class KubectlIT {
  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: podinfo
        labels: {app: podinfo, tier: web}
      spec:
        replicas: 1
        selector:
          matchLabels: {app: podinfo}
        template:
          metadata:
            labels: {app: podinfo}
          spec:
            containers:
            - name: podinfo
              image: ghcr.io/stefanprodan/podinfo:6.5.0
              ports:
              - containerPort: 9898
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: podinfo
      spec:
        selector: {app: podinfo}
        ports:
        - port: 9898
      """;

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
        scope: Namespaced
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
          subresources: {status: {}}
          additionalPrinterColumns:
          - {name: Size, type: string, jsonPath: .spec.size}
          - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
          - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
      """;

  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ObjectNode deployment() {
    return cluster.store.get(cluster.type("apps", "v1", "deployments"), "default", "podinfo").orElseThrow();
  }

  @Test
  void versionReportsAKubernetesNewEnoughForFlux() throws Exception {
    String out = cluster.kubectl("version", "-o", "json").ok().out();
    JsonNode server = Json.MAPPER.readTree(out).path("serverVersion");
    assertEquals("1", server.path("major").asText());
    assertEquals("33", server.path("minor").asText());
    assertTrue(server.path("gitVersion").asText().startsWith("v1.33."));
  }

  @Test
  void apiResourcesListsKindsWithShortNames() throws Exception {
    String out = cluster.kubectl("api-resources").ok().out();
    assertTrue(out.matches("(?s).*deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment.*"), out);
    assertTrue(out.matches("(?s).*customresourcedefinitions\\s+crd,crds\\s+apiextensions.k8s.io/v1\\s+false.*"), out);
  }

  @Test
  void applyGetAndDeleteADeploymentAndService() throws Exception {
    Path file = cluster.file("app.yaml", DEPLOYMENT);
    String applied = cluster.kubectl("apply", "-f", file.toString()).ok().out();
    assertTrue(applied.contains("deployment.apps/podinfo created"), applied);
    assertTrue(applied.contains("service/podinfo created"), applied);

    String table = cluster.kubectl("get", "deployments").ok().out();
    assertTrue(table.matches("(?s)NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+podinfo\\s+0/1\\s+0\\s+0\\s+\\d+s.*"), table);
    String services = cluster.kubectl("get", "svc", "podinfo").ok().out();
    // the cluster IP is the service controller's to assign; the API server alone leaves it empty
    assertTrue(services.matches("(?s).*podinfo\\s+ClusterIP\\s+\\S+\\s+<none>\\s+9898/TCP.*"), services);

    cluster.file("app.yaml", DEPLOYMENT.replace("replicas: 1", "replicas: 3"));
    String again = cluster.kubectl("apply", "-f", file.toString()).ok().out();
    assertTrue(again.contains("deployment.apps/podinfo configured"), again);
    assertTrue(again.contains("service/podinfo unchanged"), again);
    assertEquals(3, deployment().path("spec").path("replicas").asInt());
    assertEquals("RollingUpdate", deployment().path("spec").path("strategy").path("type").asText());

    String deleted = cluster.kubectl("delete", "-f", file.toString()).ok().out();
    assertTrue(deleted.contains("deployment.apps \"podinfo\" deleted"), deleted);
    assertTrue(cluster.store.get(cluster.type("apps", "v1", "deployments"), "default", "podinfo").isEmpty());
  }

  @Test
  void getSelectsByLabelAcrossNamespaces() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("app.yaml", DEPLOYMENT).toString()).ok();
    String selected = cluster.kubectl("get", "deploy", "-A", "-l", "tier in (web,api)").ok().out();
    assertTrue(selected.contains("default     podinfo"), selected);
    var none = cluster.kubectl("get", "deploy", "-A", "-l", "tier notin (web)").ok();
    assertTrue(none.err().contains("No resources found"), none.err());
  }

  @Test
  void serverSideApplyCreatesThenDropsFieldsNoLongerApplied() throws Exception {
    Path file = cluster.file("app.yaml", DEPLOYMENT);
    String created = cluster.kubectl("apply", "--server-side", "-f", file.toString()).ok().out();
    assertTrue(created.contains("deployment.apps/podinfo serverside-applied"), created);
    JsonNode managed = deployment().path("metadata").path("managedFields").get(0);
    assertEquals("kubectl", managed.path("manager").asText());
    assertEquals("Apply", managed.path("operation").asText());
    assertTrue(managed.path("fieldsV1").path("f:metadata").path("f:labels").has("f:tier"));

    cluster.file("app.yaml", DEPLOYMENT.replace(", tier: web", "").replace("replicas: 1", "replicas: 2"));
    cluster.kubectl("apply", "--server-side", "-f", file.toString()).ok();
    assertEquals(2, deployment().path("spec").path("replicas").asInt());
    assertFalse(deployment().path("metadata").path("labels").has("tier"));
    assertEquals("podinfo", deployment().path("metadata").path("labels").path("app").asText());
  }

  @Test
  void crdKindIsServedWithItsPrinterColumns() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("crd.yaml", CRD).toString()).ok();
    cluster.kubectl("wait", "--for", "condition=established", "crd/widgets.example.com", "--timeout=10s").ok();
    cluster.kubectl("apply", "-f", cluster.file("w.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w1}
        spec: {size: big}
        """).toString()).ok();
    cluster.kubectl("patch", "widget", "w1", "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").ok();
    String table = cluster.kubectl("get", "wd").ok().out();
    assertTrue(table.matches("(?s)NAME\\s+SIZE\\s+READY\\s+AGE\\s+w1\\s+big\\s+True\\s+\\d+s.*"), table);

    cluster.kubectl("delete", "crd", "widgets.example.com").ok();
    assertNotEquals(0, cluster.kubectl("get", "widgets").exit());
    assertFalse(cluster.kubectl("api-resources").ok().out().contains("widgets"));
    assertTrue(cluster.types.byPlural("example.com", "v1", "widgets").isEmpty());
  }

  @Test
  void scaleChangesReplicas() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("app.yaml", DEPLOYMENT).toString()).ok();
    cluster.kubectl("scale", "deployment/podinfo", "--replicas=4").ok();
    assertEquals(4, deployment().path("spec").path("replicas").asInt());
  }

  @Test
  void getWatchPrintsANewPod() throws Exception {
    cluster.store.create(cluster.type("", "v1", "pods"), pod("first"), false);
    try (Background watch = cluster.start("get", "pods", "-w")) {
      watch.awaitLine("kubectl get -w listed the first pod", l -> l.startsWith("first "), Duration.ofSeconds(20));
      cluster.store.create(cluster.type("", "v1", "pods"), pod("demo"), false);
      watch.awaitLine("the new pod's line", l -> l.matches("demo\\s+0/1\\s+Pending\\s+0\\s+.*"), Duration.ofSeconds(20));
    }
  }

  private static ObjectNode pod(String name) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree("""
        {"metadata": {"name": "%s", "namespace": "default"},
         "spec": {"containers": [{"name": "c", "image": "nginx"}]},
         "status": {"phase": "Pending"}}
        """.formatted(name));
  }

  @Test
  void deleteWaitsUntilTheObjectIsGone() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("app.yaml", DEPLOYMENT).toString()).ok();
    try (Background waiting = cluster.start("wait", "--for=delete", "deployment/podinfo", "--timeout=30s")) {
      cluster.kubectl("delete", "deployment", "podinfo", "--wait=true").ok();
      waiting.waitFor(Duration.ofSeconds(40)).ok();
    }
  }

  @Test
  void createsTheObjectsKubectlsTypedCommandsSendAsProtobuf() throws Exception {
    cluster.kubectl("create", "namespace", "flux-system").ok();
    cluster.kubectl("create", "secret", "generic", "creds", "-n", "flux-system",
        "--from-literal=username=flux", "--from-literal=password=s3cr3t").ok();
    cluster.kubectl("create", "configmap", "cfg", "--from-literal=a=b").ok();
    ObjectNode secret = cluster.store.get(cluster.type("", "v1", "secrets"), "flux-system", "creds").orElseThrow();
    assertEquals("Opaque", secret.path("type").asText());
    assertEquals("czNjcjN0", secret.path("data").path("password").asText());
    assertEquals("b", cluster.store.get(cluster.type("", "v1", "configmaps"), "default", "cfg")
        .orElseThrow().path("data").path("a").asText());

    cluster.kubectl("create", "deployment", "web", "--image=nginx").ok();
    assertEquals("nginx", cluster.store.get(cluster.type("apps", "v1", "deployments"), "default", "web")
        .orElseThrow().at("/spec/template/spec/containers/0/image").asText());
  }

  @Test
  void aCustomResourceInTheFileOfItsCrdIsNotYetKnownAsOnARealCluster() throws Exception {
    Path file = cluster.file("both.yaml", CRD + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: big}\n");
    var first = cluster.kubectl("apply", "-f", file.toString());
    assertNotEquals(0, first.exit());
    assertTrue(first.err().contains("no matches for kind \"Widget\" in version \"example.com/v1\""), first.err());
    assertTrue(cluster.kubectl("apply", "-f", file.toString()).ok().out().contains("widget.example.com/w1 created"));
  }

  @Test
  void reapplyingTheSameManifestServerSideWritesNothing() throws Exception {
    Path file = cluster.file("app.yaml", DEPLOYMENT);
    cluster.kubectl("apply", "--server-side", "-f", file.toString()).ok();
    ObjectNode applied = deployment();
    ((ObjectNode) applied.path("metadata").path("managedFields").get(0)).put("time", "2020-01-01T00:00:00Z");
    cluster.store.update(cluster.type("apps", "v1", "deployments"), applied, ResourceStore.Part.MAIN, false);
    String before = deployment().path("metadata").path("resourceVersion").asText();
    cluster.kubectl("apply", "--server-side", "-f", file.toString()).ok();
    assertEquals(before, deployment().path("metadata").path("resourceVersion").asText());
  }

  @Test
  void deleteWithCascadeOrphanLeavesDependentsWithoutTheOwnerReference() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("app.yaml", DEPLOYMENT).toString()).ok();
    String uid = deployment().path("metadata").path("uid").asText();
    ObjectNode rs = (ObjectNode) Json.MAPPER.readTree("""
        {"metadata": {"name": "podinfo-1", "namespace": "default", "labels": {"app": "podinfo"},
                      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "podinfo",
                                           "uid": "%s", "controller": true}]},
         "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "podinfo"}},
                  "template": {"metadata": {"labels": {"app": "podinfo"}},
                               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
        """.formatted(uid));
    ResourceType replicaSets = cluster.type("apps", "v1", "replicasets");
    cluster.store.create(replicaSets, rs, false);
    cluster.kubectl("delete", "deployment", "podinfo", "--cascade=orphan").ok();
    ObjectNode kept = cluster.store.get(replicaSets, "default", "podinfo-1").orElseThrow();
    assertFalse(kept.path("metadata").has("ownerReferences"), kept.toString());
  }
}
