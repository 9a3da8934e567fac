package dev.gitopsworkshop.demo;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Deployment's rollout history as {@code kubectl rollout history} reads it: its ReplicaSets, one
 * per template, numbered by {@code deployment.kubernetes.io/revision}, each with its image and how
 * many of its pods are ready.
 */
final class RolloutHistory {
  private final List<JsonNode> sets;

  private RolloutHistory(List<JsonNode> sets) {
    this.sets = sets;
  }

  static RolloutHistory of(KubernetesClient kube, JsonNode deployment) {
    String uid = deployment.at("/metadata/uid").asText();
    List<JsonNode> sets = new ArrayList<>();
    for (GenericKubernetesResource rs : kube.genericKubernetesResources(Kinds.REPLICA_SETS)
        .inNamespace(deployment.at("/metadata/namespace").asText()).list().getItems()) {
      JsonNode node = Mappers.JSON.valueToTree(rs);
      for (JsonNode owner : node.at("/metadata/ownerReferences")) {
        if (uid.equals(owner.path("uid").asText())) {
          sets.add(node);
        }
      }
    }
    sets.sort(Comparator.comparingLong(RolloutHistory::revision).reversed());
    return new RolloutHistory(sets);
  }

  /** The ReplicaSets, newest revision first. */
  List<JsonNode> revisions() {
    return sets;
  }

  /** Ready pods of the ReplicaSets running this image. */
  int ready(String image) {
    return sets.stream().filter(rs -> image.equals(Rollouts.image(rs))).mapToInt(RolloutHistory::ready).sum();
  }

  /** The image of the newest revision, other than {@code bad}, that still has ready pods; null if none. */
  String healthyImage(String bad) {
    return sets.stream().filter(rs -> !bad.equals(Rollouts.image(rs)) && ready(rs) > 0).findFirst().map(Rollouts::image).orElse(null);
  }

  static int ready(JsonNode rs) {
    return rs.at("/status/readyReplicas").asInt(0);
  }

  static long revision(JsonNode rs) {
    return rs.at("/metadata/annotations").path("deployment.kubernetes.io/revision").asLong(0);
  }
}
