package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The health stage's outcomes and Flux's words for them, with objects judged by kstatus. */
class HealthCheckTest {
  static final HealthCheck.Target WEB = new HealthCheck.Target("apps/v1", "Deployment", "default", "web");
  static final HealthCheck.Target CM = new HealthCheck.Target("v1", "ConfigMap", "default", "settings");
  static final HealthCheck.Target MISSING = new HealthCheck.Target("apps/v1", "Deployment", "default", "missing");

  final Map<HealthCheck.Target, JsonNode> cluster = new ConcurrentHashMap<>();
  /** How many times the health stage looked at an object. */
  final AtomicInteger looks = new AtomicInteger();
  final HealthCheck health = new HealthCheck(t -> {
    looks.incrementAndGet();
    return Kstatus.compute(cluster.get(t));
  }, 10);

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
    Optional<String> error = health.await(List.of(WEB, CM, MISSING), 300);
    assertTrue(looks.get() > 3, "it looked again until the timeout, not once: " + looks);
    assertEquals("timeout waiting for: [Deployment/default/web status: 'InProgress', Deployment/default/missing status: 'NotFound']",
        error.orElseThrow());
  }

  @Test
  void stopsEarlyWhenWhatIsNotCurrentHasFailed() throws Exception {
    cluster.put(WEB, deployment("[{\"type\": \"Progressing\", \"status\": \"False\", \"reason\": \"ProgressDeadlineExceeded\"}]", 0));
    cluster.put(CM, Mappers.JSON.readTree("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}"));
    assertEquals("failed early due to stalled resources: [Deployment/default/web status: 'Failed']",
        health.await(List.of(WEB, CM), 60_000).orElseThrow());
    assertTrue(looks.get() <= 2, "it stopped after one look at each object, well within its 60 s: " + looks);
  }

  @Test
  void waitsForAnObjectThatBecomesCurrent() throws Exception {
    JsonNode unavailable = deployment("[{\"type\": \"Available\", \"status\": \"False\"}]", 0);
    JsonNode available = deployment("[{\"type\": \"Available\", \"status\": \"True\"}]", 1);
    AtomicInteger seen = new AtomicInteger();
    HealthCheck rollingOut = new HealthCheck(t -> Kstatus.compute(seen.incrementAndGet() < 4 ? unavailable : available), 10);
    assertEquals(Optional.empty(), rollingOut.await(List.of(WEB), 5000));
    assertEquals(4, seen.get(), "it looked until the Deployment was available, and no more");
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
