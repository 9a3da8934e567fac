package dev.gitopsworkshop.cluster.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs, CronJobs, HPAs, Endpoints, StatefulSets and DaemonSets driven by the real kubectl. */
class WorkloadsIT {
  @TempDir static Path tmp;
  static LocalCluster lab;

  @BeforeAll
  static void start() throws Exception {
    lab = new LocalCluster(tmp);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void aJobCompletesAndKubectlWaitSeesIt() throws Exception {
    String ns = lab.namespace();
    lab.apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          completions: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.40", command: [sh, -c, "echo 3.14159; sleep 1"]}]
        """);
    lab.kubectl("-n", ns, "wait", "--for=condition=complete", "job/pi", "--timeout=60s").ok();
    String jobs = lab.kubectl("-n", ns, "get", "jobs").ok().out();
    assertTrue(jobs.matches("(?s)NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE\\s+pi\\s+Complete\\s+2/2\\s+\\d+s\\s+\\d+s.*"), jobs);
    assertTrue(lab.kubectl("-n", ns, "logs", "job/pi").ok().out().contains("3.14159"));
    String pods = lab.kubectl("-n", ns, "get", "pods", "-l", "job-name=pi").ok().out();
    assertEquals(2, pods.lines().filter(l -> l.matches("pi-\\w+\\s+0/1\\s+Completed\\s+0\\s+.*")).count(), pods);
  }

  @Test
  void aJobPastItsBackoffLimitFails() throws Exception {
    String ns = lab.namespace();
    lab.apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: broken}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers: [{name: broken, image: busybox, command: [sh, -c, "echo no; exit 1"]}]
        """);
    lab.kubectl("-n", ns, "wait", "--for=condition=failed", "job/broken", "--timeout=60s").ok();
    String describe = lab.kubectl("-n", ns, "describe", "job", "broken").ok().out();
    assertTrue(describe.contains("BackoffLimitExceeded"), describe);
    assertTrue(describe.matches("(?s).*Pods Statuses:\\s+0 Active \\(0 Ready\\) / 0 Succeeded / 1 Failed.*"), describe);
    Cli.Result wait = lab.kubectl("-n", ns, "wait", "--for=condition=complete", "job/broken", "--timeout=1s");
    assertNotEquals(0, wait.exitCode());
  }

  @Test
  void aJobWhosePodsWouldRestartForeverIsRefused() throws Exception {
    String ns = lab.namespace();
    Path file = tmp.resolve("always.yaml");
    java.nio.file.Files.writeString(file, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: always}
        spec:
          template:
            spec:
              restartPolicy: Always
              containers: [{name: c, image: busybox}]
        """);
    Cli.Result r = lab.kubectl("-n", ns, "apply", "-f", file.toString());
    assertNotEquals(0, r.exitCode());
    assertTrue(r.err().contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""), r.toString());
    java.nio.file.Files.writeString(file, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: policy}
        spec:
          podFailurePolicy:
            rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox}]
        """);
    Cli.Result policy = lab.kubectl("-n", ns, "apply", "-f", file.toString());
    assertNotEquals(0, policy.exitCode());
    assertTrue(policy.err().contains("spec.podFailurePolicy: Forbidden: the embedded cluster does not implement this field; "
        + "start the lab with --cluster k3s to use it"), policy.toString());
  }

  @Test
  void aCronJobCreatesJobsOnSchedule() throws Exception {
    String ns = lab.namespace();
    lab.apply(ns, """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: tick}
        spec:
          schedule: "@every 2s"
          successfulJobsHistoryLimit: 2
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: tick, image: busybox, command: [echo, tick]}]
        """);
    await("a job by the cronjob completed").atMost(Duration.ofSeconds(30)).until(() ->
        lab.kubectl("-n", ns, "get", "jobs").out().matches("(?s).*tick-\\d+\\s+Complete\\s+1/1.*"));
    String cronJobs = lab.kubectl("-n", ns, "get", "cronjobs").ok().out();
    assertTrue(cronJobs.matches("(?s)NAME\\s+SCHEDULE\\s+TIMEZONE\\s+SUSPEND\\s+ACTIVE\\s+LAST SCHEDULE\\s+AGE\\s+tick\\s+@every 2s\\s+<none>\\s+False\\s+\\d+\\s+\\d+s\\s+\\d+s.*"),
        cronJobs);
    Path bad = tmp.resolve("bad-cron.yaml");
    java.nio.file.Files.writeString(bad, """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: bad}
        spec:
          schedule: "every minute"
          jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
        """);
    Cli.Result r = lab.kubectl("-n", ns, "apply", "-f", bad.toString());
    assertTrue(r.err().contains("spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2"), r.toString());
  }

  @Test
  void anHpaWithoutMetricsKeepsMinReplicasAndShowsUnknownTargets() throws Exception {
    String ns = lab.namespace();
    lab.apply(ns, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "nginx:1.27"}]}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 5
        """);
    await("web at minReplicas").atMost(Duration.ofSeconds(30)).until(() ->
        lab.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").out().equals("2"));
    lab.kubectl("-n", ns, "rollout", "status", "deploy/web", "--timeout=60s").ok();
    await("hpa reports").atMost(Duration.ofSeconds(40)).until(() ->
        lab.kubectl("-n", ns, "get", "hpa", "web").out().matches("(?s).*web\\s+Deployment/web\\s+cpu: <unknown>/80%\\s+2\\s+5\\s+2\\s+.*"));
    await("hpa says it has no metrics").atMost(Duration.ofSeconds(40)).until(() ->
        lab.kubectl("-n", ns, "describe", "hpa", "web").out().matches("(?s).*ScalingActive\\s+False\\s+FailedGetResourceMetric.*"));
  }

  @Test
  void aServiceListsItsReadyPodsAsEndpointsAndAnEndpointSlice() throws Exception {
    String ns = lab.namespace();
    lab.apply(ns, KubectlIT.DEPLOYMENT.replace("replicas: 1", "replicas: 2"));
    lab.kubectl("-n", ns, "rollout", "status", "deploy/podinfo", "--timeout=60s").ok();
    await("two endpoints").atMost(Duration.ofSeconds(30)).until(() ->
        lab.kubectl("-n", ns, "get", "endpoints", "podinfo").out().matches("(?s).*podinfo\\s+10\\.42\\.\\d+\\.\\d+:9898,10\\.42\\.\\d+\\.\\d+:9898\\s+.*"));
    String slices = lab.kubectl("-n", ns, "get", "endpointslices", "-l", "kubernetes.io/service-name=podinfo").ok().out();
    assertTrue(slices.matches("(?s).*podinfo-\\w{5}\\s+IPv4\\s+9898\\s+10\\.42\\.\\S+,10\\.42\\.\\S+\\s+.*"), slices);
    lab.kubectl("-n", ns, "scale", "deploy/podinfo", "--replicas=1").ok();
    await("one endpoint").atMost(Duration.ofSeconds(30)).until(() ->
        lab.kubectl("-n", ns, "get", "endpoints", "podinfo").out().matches("(?s).*podinfo\\s+10\\.42\\.\\d+\\.\\d+:9898\\s+.*"));
  }

  @Test
  void statefulSetsAndDaemonSetsRollOut() throws Exception {
    String ns = lab.namespace();
    lab.apply(ns, """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "postgres:16"}]}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: "fluent-bit:3"}]}
        """);
    lab.kubectl("-n", ns, "rollout", "status", "statefulset/db", "--timeout=60s").ok();
    lab.kubectl("-n", ns, "rollout", "status", "daemonset/agent", "--timeout=60s").ok();
    assertTrue(lab.kubectl("-n", ns, "get", "pods").ok().out().matches("(?s).*db-0\\s+1/1\\s+Running.*db-1\\s+1/1\\s+Running.*"));
    lab.kubectl("-n", ns, "set", "image", "statefulset/db", "db=postgres:17").ok();
    lab.kubectl("-n", ns, "rollout", "status", "statefulset/db", "--timeout=60s").ok();
    assertEquals("postgres:17 postgres:17", lab.kubectl("-n", ns, "get", "pods", "-l", "app=db", "-o", "jsonpath={.items[*].spec.containers[0].image}").ok().out());
    String ds = lab.kubectl("-n", ns, "get", "ds", "agent").ok().out();
    assertTrue(ds.matches("(?s).*agent\\s+1\\s+1\\s+1\\s+1\\s+1\\s+<none>\\s+.*"), ds);
  }
}
