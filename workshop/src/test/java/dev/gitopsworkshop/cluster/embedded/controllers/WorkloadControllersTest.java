package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs, StatefulSets, DaemonSets, HPAs and Endpoints on the simulated workloads, without the API server. */
class WorkloadControllersTest {
  private final Sim sim = new Sim();

  @AfterEach
  void stop() {
    sim.close();
  }

  private ObjectNode job(String name, String spec) {
    return sim.create(sim.type("batch", "jobs"), Sim.yaml("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s, namespace: default}
        spec:
        %s
        """.formatted(name, spec.indent(2))));
  }

  private JsonNode jobNow(String name) {
    return sim.get(sim.type("batch", "jobs"), "default", name);
  }

  @Test
  void aJobRunsItsPodsToCompletionParallelismAtATime() {
    job("three", """
        completions: 3
        parallelism: 2
        backoffLimit: 6
        template:
          spec:
            restartPolicy: Never
            containers: [{name: work, image: busybox, command: [sh, -c, "echo done"]}]
        """);
    await("three completed").atMost(Duration.ofSeconds(30)).until(() -> Sim.condition(jobNow("three"), "Complete", "True"));
    JsonNode job = jobNow("three");
    assertEquals(3, job.at("/status/succeeded").asInt());
    assertEquals(0, job.at("/status/active").asInt());
    assertTrue(job.at("/status/completionTime").isTextual());
    assertTrue(Sim.condition(job, "SuccessCriteriaMet", "True"));
    assertEquals("CompletionsReached", Sim.conditionOf(job, "Complete").path("reason").asText());
    List<ObjectNode> pods = sim.list(sim.pods(), "default", p -> "three".equals(p.at("/metadata/labels/job-name").asText()));
    assertEquals(3, pods.size());
    assertTrue(pods.stream().allMatch(p -> p.at("/status/phase").asText().equals("Succeeded")));
    assertEquals(job.at("/metadata/uid").asText(), job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asText());
    assertFalse(sim.events("Completed").isEmpty());
  }

  @Test
  void aJobFailsOnceMoreThanBackoffLimitPodsFailed() {
    job("doomed", """
        backoffLimit: 0
        template:
          spec:
            restartPolicy: Never
            containers: [{name: work, image: busybox, command: [sh, -c, "exit 1"]}]
        """);
    await("doomed failed").atMost(Duration.ofSeconds(30)).until(() -> Sim.condition(jobNow("doomed"), "Failed", "True"));
    JsonNode job = jobNow("doomed");
    assertEquals("BackoffLimitExceeded", Sim.conditionOf(job, "Failed").path("reason").asText());
    assertEquals("Job has reached the specified backoff limit", Sim.conditionOf(job, "Failed").path("message").asText());
    assertEquals(1, job.at("/status/failed").asInt());
    assertFalse(Sim.condition(job, "Complete", "True"));
  }

  @Test
  void anIndexedJobRunsOnePodPerIndex() {
    job("indexed", """
        completions: 3
        parallelism: 3
        completionMode: Indexed
        template:
          spec:
            restartPolicy: Never
            containers: [{name: work, image: busybox, command: [true]}]
        """);
    await("indexed completed").atMost(Duration.ofSeconds(30)).until(() -> Sim.condition(jobNow("indexed"), "Complete", "True"));
    assertEquals("0-2", jobNow("indexed").at("/status/completedIndexes").asText());
  }

  @Test
  void aStatefulSetCreatesItsPodsInOrderAndRollsOutFromTheTop() {
    ObjectNode sts = Sim.yaml("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: default}
        spec:
          replicas: 3
          serviceName: db
          selector: {matchLabels: {app: db}}
          updateStrategy: {type: RollingUpdate}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "postgres:16"}]}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """);
    sim.create(sim.type("apps", "statefulsets"), sts);
    await("db ready").atMost(Duration.ofSeconds(30)).until(() ->
        sim.get(sim.type("apps", "statefulsets"), "default", "db").at("/status/readyReplicas").asInt() == 3);
    List<String> names = sim.list(sim.pods(), "default", p -> "db".equals(p.at("/metadata/labels/app").asText()))
        .stream().map(p -> p.at("/metadata/name").asText()).sorted().toList();
    assertEquals(List.of("db-0", "db-1", "db-2"), names);
    assertEquals("Bound", sim.get(sim.type("", "persistentvolumeclaims"), "default", "data-db-1").at("/status/phase").asText());
    sim.edit(sim.type("apps", "statefulsets"), "default", "db", o -> {
      ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", "postgres:17");
      return o;
    });
    await("db rolled out").atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode s = sim.get(sim.type("apps", "statefulsets"), "default", "db").path("status");
      return s.path("updatedReplicas").asInt() == 3 && s.path("readyReplicas").asInt() == 3
          && s.path("currentRevision").asText().equals(s.path("updateRevision").asText());
    });
    assertTrue(sim.list(sim.pods(), "default", p -> "db".equals(p.at("/metadata/labels/app").asText()))
        .stream().allMatch(p -> p.at("/spec/containers/0/image").asText().equals("postgres:17")));
  }

  @Test
  void aDaemonSetRunsOnePodOnTheNode() {
    sim.create(sim.type("apps", "daemonsets"), Sim.yaml("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: default}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: "fluent-bit:3"}]}
        """));
    await("agent available").atMost(Duration.ofSeconds(30)).until(() ->
        sim.get(sim.type("apps", "daemonsets"), "default", "agent").at("/status/numberAvailable").asInt() == 1);
    JsonNode status = sim.get(sim.type("apps", "daemonsets"), "default", "agent").path("status");
    assertEquals(1, status.path("desiredNumberScheduled").asInt());
    assertEquals(1, status.path("updatedNumberScheduled").asInt());
    assertEquals(1, sim.podsOf("agent").size());
  }

  @Test
  void anHpaKeepsItsTargetAtLeastAtMinReplicasAndSaysItHasNoMetrics() {
    sim.create(sim.deployments(), Sim.deployment("web", 1, "nginx:1.27"));
    sim.create(sim.type("autoscaling", "horizontalpodautoscalers"), Sim.yaml("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: default}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 4
          metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
        """));
    await("web scaled to 2").atMost(Duration.ofSeconds(30)).until(() -> sim.get(sim.deployments(), "default", "web").at("/spec/replicas").asInt() == 2);
    sim.awaitRolledOut("web");
    assertTrue(sim.events("SuccessfulRescale").get(0).path("message").asText()
        .equals("New size: 2; reason: Current number of replicas below Spec.MinReplicas"));
    sim.edit(sim.deployments(), "default", "web", d -> {
      ((ObjectNode) d.get("spec")).put("replicas", 9);
      return d;
    });
    await("web scaled down to max").atMost(Duration.ofSeconds(40)).until(() -> sim.get(sim.deployments(), "default", "web").at("/spec/replicas").asInt() == 4);
  }

  @Test
  void aServiceGetsEndpointsAndAnEndpointSliceOfItsReadyPods() {
    sim.create(sim.deployments(), Sim.deployment("api", 2, "nginx:1.27"));
    sim.create(sim.type("", "services"), Sim.yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: default, labels: {tier: web}}
        spec:
          selector: {app: api}
          ports: [{name: http, port: 80, targetPort: 9898, protocol: TCP}]
        """));
    sim.awaitRolledOut("api");
    await("two endpoints").atMost(Duration.ofSeconds(30)).until(() ->
        sim.store.get(sim.type("", "endpoints"), "default", "api").map(e -> e.at("/subsets/0/addresses").size()).orElse(0) == 2);
    JsonNode ep = sim.get(sim.type("", "endpoints"), "default", "api");
    assertEquals(9898, ep.at("/subsets/0/ports/0/port").asInt());
    assertEquals("http", ep.at("/subsets/0/ports/0/name").asText());
    assertEquals("Pod", ep.at("/subsets/0/addresses/0/targetRef/kind").asText());
    assertEquals("web", ep.at("/metadata/labels/tier").asText());
    await("slice").atMost(Duration.ofSeconds(30)).until(() ->
        sim.list(sim.type("discovery.k8s.io", "endpointslices"), "default", s -> s.path("endpoints").size() == 2).size() == 1);
    JsonNode slice = sim.list(sim.type("discovery.k8s.io", "endpointslices"), "default", null).get(0);
    assertEquals("api", slice.at("/metadata/labels/kubernetes.io~1service-name").asText());
    assertTrue(slice.at("/endpoints/0/conditions/ready").asBoolean());
    assertEquals("IPv4", slice.path("addressType").asText());
    sim.store.delete(sim.type("", "services"), "default", "api", null, false);
    await("endpoints gone with the service").atMost(Duration.ofSeconds(30)).until(() ->
        sim.store.get(sim.type("", "endpoints"), "default", "api").isEmpty());
  }
}
