package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strict field validation and CRD schemas, with the real kubectl: what a real API server refuses
 * (unknown, duplicate and mistyped fields; Flux objects that break Flux's schemas; malformed CRD
 * schemas) is refused with its wording, and defaults are applied where a field is missing.
 */
class SchemaValidationIT {
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("schema-it");
    cluster = new TestCluster(dir);
    cluster.kubectl("apply", "-f", Cli.projectRoot().resolve("flux/install.yaml").toString()).ok();
    cluster.kubectl("apply", "-f", cluster.file("widgets.yaml", WIDGETS_CRD).toString()).ok();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: %s, namespace: default}
      spec:
        %s
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: nginx:1.27
                %s
      """;

  static final String WIDGETS_CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        group: example.com
        names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
        scope: Namespaced
        versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size]
                    properties:
                      size: {type: integer, minimum: 1, maximum: 10}
                      replicas: {type: integer, default: 1}
                      port: {x-kubernetes-int-or-string: true}
                      tags: {type: array, maxItems: 2, items: {type: string, maxLength: 5}}
                      mode: {type: string, enum: [fast, slow], default: slow}
                      when: {type: string, format: date-time}
                      config: {type: object, x-kubernetes-preserve-unknown-fields: true}
                      labels: {type: object, additionalProperties: {type: string}}
                  status:
                    type: object
                    properties:
                      phase: {type: string, enum: [Pending, Done]}
      """;

  @Test
  void refusesAnUnknownFieldOfADeploymentWithKubectlsDefaultStrictValidation() throws Exception {
    Path file = cluster.file("typo.yaml", DEPLOYMENT.formatted("typo", "replica: 2", "portz: []"));
    TestCluster.Result r = cluster.kubectl("apply", "-f", file.toString());
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: "
        + "unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].portz\""), r.err());
    assertNotEquals(0, cluster.kubectl("get", "deployment", "typo").exit(), "nothing is created");
  }

  @Test
  void warnsAboutAndDropsUnknownFieldsWithValidateWarnAndSaysNothingWithValidateFalse() throws Exception {
    TestCluster.Result warn = cluster.kubectl("apply", "--validate=warn", "-f",
        cluster.file("warned.yaml", DEPLOYMENT.formatted("warned", "replica: 2", "")).toString()).ok();
    assertTrue(warn.err().contains("Warning: unknown field \"spec.replica\""), warn.err());
    assertEquals("", cluster.kubectl("get", "deployment", "warned", "-o", "jsonpath={.spec.replica}").ok().out());
    TestCluster.Result ignore = cluster.kubectl("create", "--validate=false", "-f",
        cluster.file("ignored.yaml", DEPLOYMENT.formatted("ignored", "replica: 2", "")).toString()).ok();
    assertFalse(ignore.err().contains("Warning"), ignore.err());
  }

  @Test
  void refusesAValueOfTheWrongTypeInABuiltInKindAsGosDecoderWordsIt() throws Exception {
    TestCluster.Result r = cluster.kubectl("apply", "-f",
        cluster.file("mistyped.yaml", DEPLOYMENT.formatted("mistyped", "replicas: two", "")).toString());
    assertTrue(r.err().contains("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"), r.err());
  }

  @Test
  void refusesDuplicateFieldsInJsonAndYamlBodiesWhenStrict() throws Exception {
    String json = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup"},"data":{"a":"1","a":"2"}}""";
    var r = cluster.http("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", "application/json", json, TestCluster.TOKEN);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("strict decoding error: duplicate field \\\"metadata.name\\\", duplicate field \\\"data.a\\\""), r.body());
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\ndata:\n  a: '1'\n  a: '2'\n";
    var y = cluster.http("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", "application/yaml", yaml, TestCluster.TOKEN);
    assertEquals(400, y.statusCode(), y.body());
    assertTrue(y.body().contains("line 7: key \\\"a\\\" already set in map"), y.body());
    var warned = cluster.http("POST", "/api/v1/namespaces/default/configmaps", "application/json", json, TestCluster.TOKEN);
    assertEquals(201, warned.statusCode(), warned.body());
    assertEquals("299 - \"duplicate field \\\"metadata.name\\\"\"", warned.headers().allValues("Warning").get(0));
    assertEquals("2", Json.MAPPER.readTree(warned.body()).at("/data/a").asText(), "the last of duplicate fields wins");
  }

  @Test
  void refusesAKustomizationThatBreaksFluxsSchema() throws Exception {
    String ks = """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: bad, namespace: flux-system}
        spec:
          interval: banana
          %s
          sourceRef: {kind: Foo, name: workshop}
        """;
    TestCluster.Result unknown = cluster.kubectl("apply", "-f", cluster.file("ks1.yaml", ks.formatted("pruen: true")).toString());
    assertTrue(unknown.err().contains("Kustomization in version \"v1\" cannot be handled as a Kustomization: "
        + "strict decoding error: unknown field \"spec.pruen\""), unknown.err());
    TestCluster.Result invalid = cluster.kubectl("apply", "-f", cluster.file("ks2.yaml", ks.formatted("")).toString());
    assertTrue(invalid.err().contains("The Kustomization \"bad\" is invalid"), invalid.err());
    assertTrue(invalid.err().contains("* spec.prune: Required value"), invalid.err());
    assertTrue(invalid.err().contains("* spec.interval: Invalid value: \"banana\": spec.interval in body should match "
        + "'^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'"), invalid.err());
    assertTrue(invalid.err().contains("* spec.sourceRef.kind: Unsupported value: \"Foo\": supported values: "
        + "\"OCIRepository\", \"GitRepository\", \"Bucket\", \"ExternalArtifact\""), invalid.err());
    var raw = cluster.http("POST", "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations", "application/yaml",
        ks.formatted("prune: true").replace("kind: Foo", "kind: GitRepository"), TestCluster.TOKEN);
    assertEquals(422, raw.statusCode(), raw.body());
    JsonNode status = Json.MAPPER.readTree(raw.body());
    assertEquals("Kustomization.kustomize.toolkit.fluxcd.io \"bad\" is invalid: spec.interval: Invalid value: \"banana\": "
        + "spec.interval in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'", status.path("message").asText());
    assertEquals("kustomize.toolkit.fluxcd.io", status.at("/details/group").asText());
  }

  @Test
  void serverSideApplyRefusesUnknownFieldsAsFieldsNotDeclaredInTheSchema() throws Exception {
    Path file = cluster.file("ssa.yaml", """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {name: ssa, namespace: flux-system}
        spec: {url: "https://example.com/x.git", interval: 1m, refx: {branch: main}}
        """);
    TestCluster.Result r = cluster.kubectl("apply", "--server-side", "-f", file.toString());
    assertTrue(r.err().contains("failed to create typed patch object (flux-system/ssa; source.toolkit.fluxcd.io/v1, "
        + "Kind=GitRepository): .spec.refx: field not declared in schema"), r.err());
  }

  @Test
  void appliesDefaultsWhereAFieldIsMissingAndNeverOverAGivenValue() throws Exception {
    Path file = cluster.file("repos.yaml", """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {name: defaulted, namespace: flux-system}
        spec: {url: "https://example.com/x.git", interval: 1m}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {name: given, namespace: flux-system}
        spec: {url: "https://example.com/x.git", interval: 1m, timeout: 30s}
        """);
    cluster.kubectl("apply", "-f", file.toString()).ok();
    assertEquals("60s", cluster.kubectl("get", "gitrepo", "-n", "flux-system", "defaulted", "-o", "jsonpath={.spec.timeout}").ok().out());
    assertEquals("30s", cluster.kubectl("get", "gitrepo", "-n", "flux-system", "given", "-o", "jsonpath={.spec.timeout}").ok().out());
    assertEquals("-1", cluster.kubectl("get", "gitrepo", "-n", "flux-system", "defaulted",
        "-o", "jsonpath={.status.observedGeneration}").ok().out(), "status defaults on create, as Flux objects show");
  }

  @Test
  void enforcesEveryKeywordOfAStructuralSchema() throws Exception {
    String widget = """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: %s, namespace: default}
        spec: %s
        """;
    cluster.kubectl("apply", "-f", cluster.file("w-ok.yaml", widget.formatted("ok",
        "{size: 3, port: http, tags: [a, b], when: '2026-01-02T03:04:05Z', config: {any: {thing: 1}}, labels: {a: b}}")).toString()).ok();
    assertEquals("1 slow http {\"any\":{\"thing\":1}}", cluster.kubectl("get", "widget", "ok", "-o",
        "jsonpath={.spec.replicas} {.spec.mode} {.spec.port} {.spec.config}").ok().out());
    cluster.kubectl("apply", "-f", cluster.file("w-port.yaml", widget.formatted("port", "{size: 3, port: 8080}")).toString()).ok();
    TestCluster.Result bad = cluster.kubectl("apply", "-f", cluster.file("w-bad.yaml", widget.formatted("bad",
        "{size: 11, replicas: '2', tags: [a, b, c], mode: quick, when: yesterday, port: 1.5, labels: {a: 1}}")).toString());
    assertNotEquals(0, bad.exit());
    for (String expected : new String[] {
        "spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10",
        "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
        "spec.tags: Too many: 3: must have at most 2 items",
        "spec.mode: Unsupported value: \"quick\": supported values: \"fast\", \"slow\"",
        "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"",
        "spec.port: Invalid value: \"number\": spec.port in body must be of type integer,string: \"number\"",
        "spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\""}) {
      assertTrue(bad.err().contains(expected), expected + "\n" + bad.err());
    }
    TestCluster.Result missing = cluster.kubectl("apply", "-f", cluster.file("w-missing.yaml",
        widget.formatted("missing", "{tags: [toolong]}")).toString());
    assertTrue(missing.err().contains("spec.size: Required value"), missing.err());
    assertTrue(missing.err().contains("spec.tags[0]: Too long: may not be more than 5 bytes"), missing.err());
  }

  @Test
  void checksTheStatusSubresourceAgainstTheSchemaAndIgnoresStatusOnCreate() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("w-status.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: st, namespace: default}
        spec: {size: 1}
        status: {phase: Done}
        """).toString()).ok();
    assertEquals("", cluster.kubectl("get", "widget", "st", "-o", "jsonpath={.status.phase}").ok().out());
    TestCluster.Result bad = cluster.kubectl("patch", "widget", "st", "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"phase\":\"Maybe\"}}");
    assertTrue(bad.err().contains("status.phase: Unsupported value: \"Maybe\": supported values: \"Pending\", \"Done\""), bad.err());
    cluster.kubectl("patch", "widget", "st", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Done\"}}").ok();
    assertEquals("Done", cluster.kubectl("get", "widget", "st", "-o", "jsonpath={.status.phase}").ok().out());
  }

  @Test
  void refusesACrdWhoseSchemaIsMalformed() throws Exception {
    TestCluster.Result r = cluster.kubectl("apply", "-f", cluster.file("bad-crd.yaml", """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          names: {kind: Gadget, plural: gadgets}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        size: {type: strin}
                        list: {type: array}
                        count: {type: integer, default: two}
                        name: {type: string, pattern: "[a-z"}
                        other: {description: no type}
        """).toString());
    assertNotEquals(0, r.exit());
    String at = "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties";
    for (String expected : new String[] {
        at + "[size].type: Unsupported value: \"strin\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"",
        at + "[list].items: Required value: must be specified",
        at + "[count].default: Invalid value: \"two\": spec.count: Invalid value: \"string\": spec.count in body must be of type integer: \"string\"",
        at + "[name].pattern: Invalid value: \"[a-z\": must be a valid regular expression",
        at + "[other].type: Required value: must not be empty for specified object fields"}) {
      assertTrue(r.err().contains(expected), expected + "\n" + r.err());
    }
    assertNotEquals(0, cluster.kubectl("get", "crd", "gadgets.example.com").exit());
  }

  @Test
  void servesEveryFluxKindWithItsSchema() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("helm.yaml", """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmRepository
        metadata: {name: podinfo, namespace: flux-system}
        spec: {url: "oci://ghcr.io/stefanprodan/charts", type: oci, interval: 10m}
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: podinfo, namespace: flux-system}
        spec:
          interval: 10m
          chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
          values: {replicaCount: 2, anything: {goes: here}}
        ---
        apiVersion: notification.toolkit.fluxcd.io/v1beta3
        kind: Provider
        metadata: {name: slack, namespace: flux-system}
        spec: {type: slack, channel: general}
        """).toString()).ok();
    assertEquals("* ChartVersion", cluster.kubectl("get", "hr", "-n", "flux-system", "podinfo",
        "-o", "jsonpath={.spec.chart.spec.version} {.spec.chart.spec.reconcileStrategy}").ok().out());
    TestCluster.Result r = cluster.kubectl("apply", "-f", cluster.file("alert.yaml", """
        apiVersion: notification.toolkit.fluxcd.io/v1beta3
        kind: Alert
        metadata: {name: all, namespace: flux-system}
        spec:
          providerRef: {name: slack}
          eventSources: [{kind: Kustomisation, name: '*'}]
        """).toString());
    assertTrue(r.err().contains("spec.eventSources[0].kind: Unsupported value: \"Kustomisation\""), r.err());
  }

  @Test
  void explainReadsTheSchemasFromOpenApiV3() throws Exception {
    String prune = cluster.kubectl("explain", "kustomization.spec.prune").ok().out();
    assertTrue(prune.contains("KIND:       Kustomization") && prune.contains("FIELD: prune <boolean>")
        && prune.contains("Delete the objects that left the build (garbage collection)."), prune);
    String kind = cluster.kubectl("explain", "ks.spec.sourceRef").ok().out();
    assertTrue(kind.contains("enum: OCIRepository, GitRepository, Bucket, ExternalArtifact"), kind);
    String replicas = cluster.kubectl("explain", "deployment.spec.replicas").ok().out();
    assertTrue(replicas.contains("GROUP:      apps") && replicas.contains("FIELD: replicas <integer>")
        && replicas.contains("Number of desired pods."), replicas);
    String containers = cluster.kubectl("explain", "deploy.spec.template.spec.containers").ok().out();
    assertTrue(containers.contains("FIELD: containers <[]Container>") && containers.contains("imagePullPolicy\t<string>"), containers);
    var v2 = cluster.http("GET", "/openapi/v2", null, null, TestCluster.TOKEN);
    JsonNode swagger = Json.MAPPER.readTree(v2.body());
    assertEquals("#/definitions/io.k8s.api.apps.DeploymentSpec",
        swagger.at("/definitions/io.k8s.api.apps.Deployment/properties/spec/$ref").asText(), v2.body().substring(0, 200));
    assertEquals("name", swagger.at("/definitions/io.k8s.api.PodSpec/properties/containers/x-kubernetes-patch-merge-key").asText());
  }

  @Test
  void typedCreateCommandsSendProtobufThatTheServerDecodesWithKubernetesOwnModel() throws Exception {
    cluster.kubectl("create", "deployment", "typed", "--image=nginx:1.27", "--replicas=0", "--port=80").ok();
    assertEquals("0 80 TCP nginx:1.27", cluster.kubectl("get", "deploy", "typed", "-o",
        "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort} "
            + "{.spec.template.spec.containers[0].ports[0].protocol} {.spec.template.spec.containers[0].image}").ok().out());
    assertEquals("", cluster.kubectl("get", "deploy", "typed", "-o", "jsonpath={.metadata.creationTimestamp}").ok().out().replaceAll("\\d{4}-.*Z", ""));
    cluster.kubectl("create", "job", "typed", "--image=busybox", "--", "echo", "hi").ok();
    assertEquals("[\"echo\",\"hi\"] Never", cluster.kubectl("get", "job", "typed", "-o",
        "jsonpath={.spec.template.spec.containers[0].command} {.spec.template.spec.restartPolicy}").ok().out());
    cluster.kubectl("create", "cronjob", "typed", "--image=busybox", "--schedule=*/5 * * * *", "--", "date").ok();
    assertEquals("*/5 * * * *", cluster.kubectl("get", "cronjob", "typed", "-o", "jsonpath={.spec.schedule}").ok().out());
    cluster.kubectl("create", "service", "clusterip", "typed", "--tcp=80:8080").ok();
    assertEquals("80 8080", cluster.kubectl("get", "svc", "typed", "-o",
        "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort}").ok().out());
    cluster.kubectl("create", "ingress", "typed", "--rule=foo.example.com/=typed:80").ok();
    assertEquals("foo.example.com typed 80", cluster.kubectl("get", "ingress", "typed", "-o",
        "jsonpath={.spec.rules[0].host} {.spec.rules[0].http.paths[0].backend.service.name} "
            + "{.spec.rules[0].http.paths[0].backend.service.port.number}").ok().out());
    cluster.kubectl("create", "role", "typed", "--verb=get,list", "--resource=pods").ok();
    cluster.kubectl("create", "rolebinding", "typed", "--role=typed", "--user=jane").ok();
    assertEquals("get list jane", cluster.kubectl("get", "rolebinding,role", "typed", "-o",
        "jsonpath={.items[1].rules[0].verbs[0]} {.items[1].rules[0].verbs[1]} {.items[0].subjects[0].name}").ok().out());
    cluster.kubectl("create", "secret", "generic", "typed", "--from-literal=password=s3cret").ok();
    assertEquals("czNjcmV0", cluster.kubectl("get", "secret", "typed", "-o", "jsonpath={.data.password}").ok().out());
    var garbage = cluster.http("POST", "/api/v1/namespaces/default/configmaps", "application/vnd.kubernetes.protobuf",
        "k8s\u0000\u0012\u0003bad", TestCluster.TOKEN);
    assertEquals(400, garbage.statusCode(), garbage.body());
  }

  @Test
  void fillsInTheDefaultsARealServerFillsIn() throws Exception {
    cluster.kubectl("apply", "-f", cluster.file("probed.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: probed, namespace: default}
        spec:
          selector: {matchLabels: {app: probed}}
          template:
            metadata: {labels: {app: probed}}
            spec:
              containers:
                - name: podinfo
                  image: ghcr.io/stefanprodan/podinfo:6.5.0
                  readinessProbe: {httpGet: {path: /readyz, port: 9898}}
                  livenessProbe: {httpGet: {path: /healthz, port: 9898}, periodSeconds: 5}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: defaulted, namespace: default}
        spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: defaulted, namespace: default}
        spec: {selector: {app: probed}, ports: [{port: 80}]}
        """).toString()).ok();
    String describe = cluster.kubectl("describe", "deployment", "probed").ok().out();
    assertTrue(describe.contains("http-get http://:9898/readyz delay=0s timeout=1s period=10s #success=1 #failure=3"), describe);
    assertTrue(describe.contains("http-get http://:9898/healthz delay=0s timeout=1s period=5s #success=1 #failure=3"), describe);
    assertEquals("10 600 RollingUpdate 30 ClusterFirst default-scheduler IfNotPresent true",
        cluster.kubectl("get", "deploy", "probed", "-o", "jsonpath={.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds} "
            + "{.spec.strategy.type} {.spec.template.spec.terminationGracePeriodSeconds} {.spec.template.spec.dnsPolicy} "
            + "{.spec.template.spec.schedulerName} {.spec.template.spec.containers[0].imagePullPolicy} "
            + "{.spec.template.spec.enableServiceLinks}").ok().out());
    assertEquals("6 1 1 NonIndexed false", cluster.kubectl("get", "job", "defaulted", "-o",
        "jsonpath={.spec.backoffLimit} {.spec.completions} {.spec.parallelism} {.spec.completionMode} {.spec.suspend}").ok().out());
    assertEquals("Cluster SingleStack IPv4", cluster.kubectl("get", "svc", "defaulted", "-o",
        "jsonpath={.spec.internalTrafficPolicy} {.spec.ipFamilyPolicy} {.spec.ipFamilies[0]}").ok().out());
    cluster.kubectl("run", "lonely", "--image=nginx:1.27", "--restart=Never").ok();
    assertEquals("default 0 node.kubernetes.io/not-ready", cluster.kubectl("get", "pod", "lonely", "-o",
        "jsonpath={.spec.serviceAccountName} {.spec.priority} {.spec.tolerations[0].key}").ok().out());
  }
}
