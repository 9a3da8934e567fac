package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;

/**
 * The ControllerRevisions a StatefulSet or DaemonSet keeps of its pod templates ({@code kubectl
 * rollout history} reads them): one per template, named {@code <owner>-<hash>}, numbered in the
 * order the templates were first seen.
 */
final class ControllerRevisions {
  static final String HASH_LABEL = "controller-revision-hash";

  private ControllerRevisions() {}

  /** The name of the revision of the owner's current template, created when new. */
  static String ensure(ResourceStore store, ResourceType revisions, ObjectNode owner) {
    String hash = DeploymentController.templateHash(owner.at("/spec/template"));
    String name = owner.at("/metadata/name").asText() + "-" + hash;
    String ns = owner.at("/metadata/namespace").asText();
    if (store.get(revisions, ns, name).isPresent()) {
      return name;
    }
    String uid = owner.at("/metadata/uid").asText();
    long max = store.list(revisions, ns, r -> ReplicaSetController.ownedBy(r, uid)).items().stream()
        .mapToLong(r -> r.path("revision").asLong(0)).max().orElse(0);
    ObjectNode rev = Json.object();
    ObjectNode meta = rev.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    ObjectNode labels = owner.at("/spec/selector/matchLabels").isObject()
        ? ((ObjectNode) owner.at("/spec/selector/matchLabels")).deepCopy() : Json.object();
    labels.put(HASH_LABEL, hash);
    meta.set("labels", labels);
    meta.putArray("ownerReferences").add(PodTemplates.ownerReference(owner));
    ObjectNode data = rev.putObject("data");
    ObjectNode template = ((ObjectNode) owner.at("/spec/template")).deepCopy();
    template.put("$patch", "replace");
    data.putObject("spec").set("template", template);
    rev.put("revision", max + 1);
    try {
      store.create(revisions, rev, false);
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
    }
    return name;
  }
}
