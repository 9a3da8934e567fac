package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The health stage's outcomes and Flux's words for them, with objects judged by kstatus. */
class HealthCheckTest {
  static final HealthCheck.Target WEB = new HealthCheck.Target("apps/v1", "Deployment", "default", "web");
  static final HealthCheck.Target CM = new HealthCheck.Target("v1", "ConfigMap", "default", "settings");
  static final HealthCheck.Target MISSING = new HealthCheck.Target("apps/v1", "Deployment", "default", "missing");

  final Map<HealthCheck.Target, JsonNode> cluster = new ConcurrentHashMap<>();
  final HealthCheck health = new HealthCheck(t -> Kstatus.compute(cluster.get(t)), 10);

  static JsonNode deployment(String conditions, int available) throws Exception {
    return Mappers.JSON.readTree("""
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"generation": 1}, "spec": {"replicas": 1},
         "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": %d, "availableReplicas": %d,
                    "conditions": %s}}""".formatted(available, available, conditions));
  }

  @Test
  void healthyWhenEveryObjectIsCurrent() throws Exception {
    cluster.put(WEB, deployment("[{\"type\": \"Available\", \"status\": \"True\"}]", 1));
    cluster.put(CM, Mappers.JSON.readTree("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}"));
    assertEquals(Optional.empty(), health.await(List.of(WEB, CM), 1000));
  }

  @Test
  void atTheTimeoutEveryObjectNotCurrentIsNamedWithItsStatus() throws Exception {
    cluster.put(WEB, deployment("[{\"type\": \"Available\", \"status\": \"False\"}]", 0));
    cluster.put(CM, Mappers.JSON.readTree("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}"));
    long start = System.currentTimeMillis();
    Optional<String> error = health.await(List.of(WEB, CM, MISSING), 300);
    assertTrue(System.currentTimeMillis() - start >= 300, "it waited for the timeout");
    assertEquals("timeout waiting for: [Deployment/default/web status: 'InProgress', Deployment/default/missing status: 'NotFound']",
        error.orElseThrow());
  }

  @Test
  void stopsEarlyWhenWhatIsNotCurrentHasFailed() throws Exception {
    cluster.put(WEB, deployment("[{\"type\": \"Progressing\", \"status\": \"False\", \"reason\": \"ProgressDeadlineExceeded\"}]", 0));
    cluster.put(CM, Mappers.JSON.readTree("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}"));
    long start = System.currentTimeMillis();
    assertEquals("failed early due to stalled resources: [Deployment/default/web status: 'Failed']",
        health.await(List.of(WEB, CM), 60_000).orElseThrow());
    assertTrue(System.currentTimeMillis() - start < 10_000, "it did not wait for the timeout");
  }

  @Test
  void waitsForAnObjectThatBecomesCurrent() throws Exception {
    cluster.put(WEB, deployment("[{\"type\": \"Available\", \"status\": \"False\"}]", 0));
    Thread later = new Thread(() -> {
      try {
        Thread.sleep(100);
        cluster.put(WEB, deployment("[{\"type\": \"Available\", \"status\": \"True\"}]", 1));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    later.start();
    assertEquals(Optional.empty(), health.await(List.of(WEB), 5000));
  }

  @Test
  void timeoutsAndRetriesFollowFluxDefaults() throws Exception {
    JsonNode hourly = Mappers.JSON.readTree("{\"spec\": {\"interval\": \"1h\"}}");
    assertEquals(3_570_000, KustomizationTimes.timeoutMillis(hourly), "interval less 30s");
    assertEquals(3_600_000, KustomizationTimes.retryMillis(hourly), "the interval");
    JsonNode quick = Mappers.JSON.readTree("{\"spec\": {\"interval\": \"1m\", \"timeout\": \"5s\", \"retryInterval\": \"2s\"}}");
    assertEquals(30_000, KustomizationTimes.timeoutMillis(quick), "never under 30s");
    assertEquals(2_000, KustomizationTimes.retryMillis(quick));
  }
}
