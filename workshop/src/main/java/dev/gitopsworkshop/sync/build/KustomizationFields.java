package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.sync.source.Unsupported;

/**
 * The Kustomization fields of the build stage that the embedded operator refuses rather than
 * ignore: SOPS decryption, impersonation of a ServiceAccount (the embedded cluster has no RBAC to
 * enforce it with; a ServiceAccount that does not exist fails as it does in Flux, whose applies
 * then have no permissions), and remote clusters.
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
    if (!account.isEmpty()) {
      String namespace = ks.at("/metadata/namespace").asText();
      JsonNode serviceAccount;
      try {
        serviceAccount = cluster.get("ServiceAccount", namespace, account);
      } catch (RuntimeException e) {
        throw new BuildFailure(RECONCILIATION_FAILED, "failed to get ServiceAccount '" + namespace + "/" + account + "': "
            + e.getMessage());
      }
      if (serviceAccount == null) {
        throw new BuildFailure(RECONCILIATION_FAILED, "ServiceAccount '" + namespace + "/" + account + "' not found: the"
            + " Kustomization applies as system:serviceaccount:" + namespace + ":" + account
            + " (spec.serviceAccountName), which has no permissions; create the ServiceAccount and its RoleBinding, or remove"
            + " spec.serviceAccountName");
      }
      throw refused("spec.serviceAccountName", "the embedded cluster has no RBAC, so it cannot apply with a ServiceAccount's"
          + " permissions");
    }
  }

  private static BuildFailure refused(String field, String why) {
    return new BuildFailure(Unsupported.REASON, Unsupported.message(field, why));
  }
}
