package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.sync.source.Unsupported;

/**
 * The Kustomization fields of the build stage that the embedded operator refuses rather than
 * ignore: SOPS decryption, impersonation of an existing ServiceAccount (the embedded cluster has no
 * RBAC to enforce it with; one that does not exist is forbidden at apply, see Applier#impersonate,
 * as in Flux), and remote clusters.
 */
final class KustomizationFields {
  static final String RECONCILIATION_FAILED = "ReconciliationFailed";

  private KustomizationFields() {}

  static void check(JsonNode ks, ObjectReader cluster) {
    JsonNode spec = ks.path("spec");
    if (spec.path("decryption").isObject()) {
      throw refused("spec.decryption", "it does not decrypt SOPS secrets");
    }
    if (spec.path("kubeConfig").isObject()) {
      throw refused("spec.kubeConfig", "it applies to the lab's own cluster only");
    }
    String account = spec.path("serviceAccountName").asText("");
    if (account.isEmpty()) {
      return;
    }
    String namespace = ks.at("/metadata/namespace").asText();
    JsonNode serviceAccount;
    try {
      serviceAccount = cluster.get("ServiceAccount", namespace, account);
    } catch (RuntimeException e) {
      throw new BuildFailure(RECONCILIATION_FAILED, "failed to get ServiceAccount '" + namespace + "/" + account + "': "
          + e.getMessage());
    }
    // a missing account is left to the apply, forbidden in the API server's words as in Flux
    if (serviceAccount != null) {
      throw refused("spec.serviceAccountName", "the embedded cluster has no RBAC, so it cannot apply with a ServiceAccount's"
          + " permissions");
    }
  }

  private static BuildFailure refused(String field, String why) {
    return new BuildFailure(Unsupported.REASON, Unsupported.message(field, why));
  }
}
