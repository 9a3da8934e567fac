package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import org.junit.jupiter.api.Test;

/** Health as kstatus (and Flux's Job reader) judges it, status and message. */
class KstatusTest {
  static JsonNode json(String text) throws Exception {
    return Mappers.JSON.readTree(text);
  }

  static void judged(String status, String message, String object) throws Exception {
    Kstatus.Result r = Kstatus.compute(json(object));
    assertEquals(status + ": " + message, r.status() + ": " + r.message());
  }

  @Test
  void aMissingObjectIsNotFound() {
    assertEquals(Kstatus.Status.NotFound, Kstatus.compute(null).status());
  }

  @Test
  void deploymentsAreCurrentOnceAvailableAndFailedPastTheirDeadline() throws Exception {
    judged("Current", "Deployment is available. Replicas: 2", """
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"generation": 3},
         "spec": {"replicas": 2, "progressDeadlineSeconds": 600},
         "status": {"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2,
                    "conditions": [{"type": "Available", "status": "True"},
                                   {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}}""");
    judged("InProgress", "Deployment generation is 4, but latest observed generation is 3", """
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"generation": 4}, "spec": {"replicas": 2},
         "status": {"observedGeneration": 3, "replicas": 2}}""");
    judged("InProgress", "Available: 0/1", """
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"generation": 1}, "spec": {"replicas": 1},
         "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "availableReplicas": 0,
                    "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}]}}""");
    judged("Failed", "Progress deadline exceeded", """
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"generation": 1}, "spec": {"replicas": 1},
         "status": {"observedGeneration": 1, "replicas": 1,
                    "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]}}""");
    judged("InProgress", "ReplicaSet not Available", """
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"generation": 1}, "spec": {"replicas": 1, "progressDeadlineSeconds": 600},
         "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1,
                    "conditions": [{"type": "Available", "status": "True"}, {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}]}}""");
  }

  @Test
  void statefulSetsDaemonSetsAndServices() throws Exception {
    judged("Current", "All replicas scheduled as expected. Replicas: 2", """
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"generation": 1}, "spec": {"replicas": 2},
         "status": {"observedGeneration": 1, "replicas": 2, "readyReplicas": 2, "currentReplicas": 2, "updatedReplicas": 2,
                    "currentRevision": "web-1", "updateRevision": "web-1"}}""");
    judged("InProgress", "Ready: 1/2", """
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"generation": 1}, "spec": {"replicas": 2},
         "status": {"observedGeneration": 1, "replicas": 2, "readyReplicas": 1}}""");
    judged("InProgress", "Waiting for updated revision to match current", """
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"generation": 2}, "spec": {"replicas": 1},
         "status": {"observedGeneration": 2, "replicas": 1, "readyReplicas": 1, "currentReplicas": 1,
                    "currentRevision": "web-1", "updateRevision": "web-2"}}""");
    judged("Current", "Partition rollout complete. updated: 1", """
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"generation": 1},
         "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}},
         "status": {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 1}}""");
    judged("Current", "All replicas scheduled as expected. Replicas: 1", """
        {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"generation": 1},
         "status": {"observedGeneration": 1, "desiredNumberScheduled": 1, "currentNumberScheduled": 1,
                    "updatedNumberScheduled": 1, "numberAvailable": 1, "numberReady": 1}}""");
    judged("InProgress", "Available: 0/1", """
        {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"generation": 1},
         "status": {"observedGeneration": 1, "desiredNumberScheduled": 1, "currentNumberScheduled": 1, "updatedNumberScheduled": 1}}""");
    judged("Current", "Service is ready", """
        {"apiVersion": "v1", "kind": "Service", "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10"}}""");
    judged("InProgress", "ClusterIP not set. Service type: LoadBalancer", """
        {"apiVersion": "v1", "kind": "Service", "spec": {"type": "LoadBalancer"}}""");
  }

  @Test
  void podsJobsAndClaims() throws Exception {
    judged("Failed", "Containers in CrashLoop state: web", """
        {"apiVersion": "v1", "kind": "Pod", "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}],
         "containerStatuses": [{"name": "web", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}""");
    judged("InProgress", "Pod is in the Pending phase", """
        {"apiVersion": "v1", "kind": "Pod", "status": {"phase": "Pending"}}""");
    judged("InProgress", "Job in progress. success:0, active: 1, failed: 0", """
        {"apiVersion": "batch/v1", "kind": "Job", "status": {"startTime": "2026-01-01T00:00:00Z", "active": 1}}""");
    judged("Current", "Job Completed. succeeded: 1/1", """
        {"apiVersion": "batch/v1", "kind": "Job", "status": {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}}""");
    judged("Failed", "Job Failed. failed: 3/1", """
        {"apiVersion": "batch/v1", "kind": "Job", "status": {"failed": 3, "conditions": [{"type": "Failed", "status": "True"}]}}""");
    judged("InProgress", "PVC is not Bound. phase: Pending", """
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "status": {"phase": "Pending"}}""");
    judged("Current", "Resource is always ready", """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}""");
  }

  @Test
  void customResourcesByTheirConditions() throws Exception {
    judged("InProgress", "Fetching manifests", """
        {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"generation": 1},
         "status": {"observedGeneration": 1, "conditions": [{"type": "Reconciling", "status": "True", "message": "Fetching manifests"},
                                                            {"type": "Ready", "status": "Unknown"}]}}""");
    judged("Failed", "HelmRelease is not reconciled", """
        {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"generation": 1},
         "status": {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "False"},
                                                            {"type": "Stalled", "status": "True", "message": "HelmRelease is not reconciled"}]}}""");
    judged("Current", "Resource is Ready", """
        {"apiVersion": "example.com/v1", "kind": "Widget", "status": {"conditions": [{"type": "Ready", "status": "True"}]}}""");
    judged("Current", "Resource is current", """
        {"apiVersion": "example.com/v1", "kind": "Widget"}""");
    judged("Terminating", "Resource scheduled for deletion", """
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"deletionTimestamp": "2026-01-01T00:00:00Z"}}""");
  }
}
