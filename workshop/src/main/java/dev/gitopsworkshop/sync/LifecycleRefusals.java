package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The Kustomization fields around apply, health and deletion that the embedded operator does not
 * honour, each refused by name before anything is applied (Ready=False and Stalled, reason
 * {@value #REASON}), in the wording every refusal of the embedded operator uses.
 */
final class LifecycleRefusals {
  static final String REASON = "UnsupportedField";

  private LifecycleRefusals() {}

  /** The first refused field the Kustomization sets, as Ready's message; empty when none. */
  static Optional<String> of(JsonNode ks) {
    JsonNode spec = ks.path("spec");
    if (present(spec.path("decryption"))) {
      return refuse("spec.decryption", "it decrypts no SOPS secrets");
    }
    if (present(spec.path("kubeConfig"))) {
      return refuse("spec.kubeConfig", "it applies to this cluster only");
    }
    if (present(spec.path("healthCheckExprs"))) {
      return refuse("spec.healthCheckExprs", "it evaluates no CEL expressions");
    }
    for (JsonNode d : spec.path("dependsOn")) {
      if (present(d.path("readyExpr"))) {
        return refuse("spec.dependsOn[].readyExpr", "it evaluates no CEL expressions");
      }
    }
    if (present(spec.path("ignore"))) {
      return refuse("spec.ignore", "it has no drift ignore rules");
    }
    return Optional.empty();
  }

  static String message(String field, String why) {
    return field + " is not supported by the embedded operator (" + why + "); remove it, or run the lab with"
        + " --cluster k3s for real Flux";
  }

  private static Optional<String> refuse(String field, String why) {
    return Optional.of(message(field, why));
  }

  private static boolean present(JsonNode n) {
    return !n.isMissingNode() && !n.isNull() && !(n.isContainerNode() && n.isEmpty()) && !(n.isTextual() && n.asText().isEmpty());
  }
}
