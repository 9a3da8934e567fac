package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The kustomize-controller's {@code dependsOn} check, before anything is built or applied: each
 * dependency must exist, have observed its generation, be Ready, and, when it follows the same
 * source, have applied the revision this Kustomization is about to apply. Otherwise the
 * Kustomization is Ready=False, reason {@code DependencyNotReady}, and looks again after Flux's
 * {@code --requeue-dependency} (30 s). A cycle is never ready: each waits for the other, as in Flux.
 */
final class Dependencies {
  static final String REASON = "DependencyNotReady";
  static final long REQUEUE_MILLIS = 30_000;

  private Dependencies() {}

  /** Empty when every dependency is ready; else Flux's message naming the first that is not. */
  static Optional<String> notReady(Kube api, JsonNode ks, String revision) {
    String namespace = ks.at("/metadata/namespace").asText();
    for (JsonNode ref : ks.at("/spec/dependsOn")) {
      String depNamespace = ref.path("namespace").asText(namespace);
      String depName = depNamespace + "/" + ref.path("name").asText();
      JsonNode dep = api.get(FluxKinds.KUSTOMIZATION, depNamespace, ref.path("name").asText());
      if (dep == null) {
        return Optional.of("dependency '" + depName + "' not found: kustomizations.kustomize.toolkit.fluxcd.io \""
            + ref.path("name").asText() + "\" not found");
      }
      if (!dep.at("/status/conditions").isArray() || dep.at("/status/conditions").isEmpty()
          || dep.at("/metadata/generation").asLong() != dep.at("/status/observedGeneration").asLong()
          || !"True".equals(FluxStatus.find(dep, "Ready").path("status").asText())) {
        return Optional.of("dependency '" + depName + "' is not ready");
      }
      if (sameSource(ks, dep) && !revision.equals(dep.at("/status/lastAppliedRevision").asText())) {
        return Optional.of("dependency '" + depName + "' revision is not up to date");
      }
    }
    return Optional.empty();
  }

  private static boolean sameSource(JsonNode ks, JsonNode dep) {
    JsonNode a = ks.at("/spec/sourceRef");
    JsonNode b = dep.at("/spec/sourceRef");
    return a.path("name").asText().equals(b.path("name").asText()) && a.path("kind").asText().equals(b.path("kind").asText())
        && a.path("namespace").asText(ks.at("/metadata/namespace").asText())
            .equals(b.path("namespace").asText(dep.at("/metadata/namespace").asText()));
  }
}
