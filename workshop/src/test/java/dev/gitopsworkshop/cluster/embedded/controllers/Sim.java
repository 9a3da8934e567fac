package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The simulated workloads on a store of their own, without the API server, and small helpers for tests. */
final class Sim implements AutoCloseable {
  final ResourceStore store = new ResourceStore();
  final ResourceTypes types = new ResourceTypes();
  final ContainerRuntimes runtimes = new ContainerRuntimes();
  final dev.gitopsworkshop.cluster.embedded.NodeRuntime node = new dev.gitopsworkshop.cluster.embedded.NodeRuntime();
  final Workloads workloads;

  Sim() {
    this(20);
  }

  Sim(long podStartDelayMillis) {
    workloads = Workloads.start(store, types, "https://127.0.0.1:1", "token", null, podStartDelayMillis, runtimes, node);
  }

  ResourceType type(String group, String plural) {
    return types.byPlural(group, group.equals("autoscaling") ? "v2" : "v1", plural).orElseThrow();
  }

  ResourceType deployments() {
    return type("apps", "deployments");
  }

  ResourceType replicaSets() {
    return type("apps", "replicasets");
  }

  ResourceType pods() {
    return type("", "pods");
  }

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) Json.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A Deployment of podinfo-like pods, as the API server would store it after defaulting. */
  static ObjectNode deployment(String name, int replicas, String image) {
    return yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: default}
        spec:
          replicas: %2$d
          revisionHistoryLimit: 10
          selector: {matchLabels: {app: %1$s}}
          strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%%, maxUnavailable: 25%%}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - name: %1$s
                image: %3$s
                ports: [{containerPort: 9898}]
        """.formatted(name, replicas, image));
  }

  ObjectNode create(ResourceType type, ObjectNode o) {
    return store.create(type, o, false);
  }

  ObjectNode get(ResourceType type, String namespace, String name) {
    return store.get(type, namespace, name).orElseThrow(() -> new AssertionError(name + " not found"));
  }

  /** Changes an object's main part, retrying on a conflict with the controllers. */
  ObjectNode edit(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    for (int i = 0; ; i++) {
      try {
        return store.update(type, change.apply(get(type, namespace, name)), ResourceStore.Part.MAIN, false);
      } catch (dev.gitopsworkshop.cluster.embedded.ApiException e) {
        if (e.code() != 409 || i > 50) {
          throw e;
        }
      }
    }
  }

  List<ObjectNode> list(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    return store.list(type, namespace, filter).items();
  }

  List<ObjectNode> podsOf(String app) {
    return list(pods(), "default", p -> app.equals(p.at("/metadata/labels/app").asText()));
  }

  List<ObjectNode> events(String reason) {
    return list(type("", "events"), null, e -> reason.equals(e.path("reason").asText()));
  }

  static boolean condition(JsonNode o, String type, String status) {
    for (JsonNode c : o.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return status.equals(c.path("status").asText());
      }
    }
    return false;
  }

  static JsonNode conditionOf(JsonNode o, String type) {
    for (JsonNode c : o.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return Json.object();
  }

  /** Waits until the Deployment is rolled out as {@code kubectl rollout status} decides it. */
  void awaitRolledOut(String name) {
    await(name + " rolled out").atMost(Duration.ofSeconds(20)).until(() -> {
      ObjectNode d = get(deployments(), "default", name);
      int desired = d.at("/spec/replicas").asInt();
      return d.at("/metadata/generation").asLong() <= d.at("/status/observedGeneration").asLong()
          && d.at("/status/updatedReplicas").asInt() >= desired
          && d.at("/status/replicas").asInt() <= d.at("/status/updatedReplicas").asInt()
          && d.at("/status/availableReplicas").asInt() >= d.at("/status/updatedReplicas").asInt()
          && condition(d, "Available", "True");
    });
  }

  @Override
  public void close() {
    workloads.close();
  }
}
