package dev.gitopsworkshop.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flux v2.9's patch releases and the controller versions each one bundles (fluxcd/flux2's
 * {@code manifests/bases/<controller>/kustomization.yaml} at each tag). A release's
 * {@code install.yaml} carries no version label, so the controllers' image tags are what say which
 * release a manifest is from.
 */
final class FluxReleases {
  /** The controllers of Flux's release install.yaml, in the order of {@link Release#tags()}. */
  static final List<String> CONTROLLERS = List.of("source-controller", "kustomize-controller", "helm-controller",
      "notification-controller", "image-reflector-controller", "image-automation-controller", "source-watcher");

  /** One release: its version and each controller's image tag. */
  record Release(String version, Map<String, String> tags) {}

  static final List<Release> V2_9 = List.of(
      release("v2.9.0", "v1.9.1", "v1.9.1", "v1.6.1", "v1.9.1", "v1.2.1", "v1.2.1", "v2.2.1"),
      release("v2.9.1", "v1.9.2", "v1.9.2", "v1.6.2", "v1.9.2", "v1.2.2", "v1.2.2", "v2.2.2"),
      release("v2.9.2", "v1.9.3", "v1.9.3", "v1.6.2", "v1.9.2", "v1.2.3", "v1.2.3", "v2.2.2"),
      release("v2.9.3", "v1.9.3", "v1.9.4", "v1.6.3", "v1.9.2", "v1.2.3", "v1.2.3", "v2.2.2"),
      release("v2.9.4", "v1.9.4", "v1.9.4", "v1.6.3", "v1.9.3", "v1.2.4", "v1.2.4", "v2.2.3"));

  /** The newest patch release known: the one the lab downloads. */
  static final Release LATEST = V2_9.get(V2_9.size() - 1);

  private FluxReleases() {}

  private static Release release(String version, String... tags) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < CONTROLLERS.size(); i++) {
      m.put(CONTROLLERS.get(i), tags[i]);
    }
    return new Release(version, Map.copyOf(m));
  }

  /**
   * Which v2.9 release the controllers' tags are from: one version ("v2.9.4"), the releases they fit
   * when the controllers present do not tell them apart ("v2.9.2 or v2.9.3"), or "v2.9.x" for tags
   * of the v2.9 line that no release listed here bundles together (a later patch release, or a
   * mix). Empty when some controller's tag is not of the v2.9 line.
   *
   * @param tags image tag by controller name, for the controllers the manifest has
   */
  static Optional<String> identify(Map<String, String> tags) {
    List<String> fits = new ArrayList<>();
    for (Release r : V2_9) {
      if (tags.entrySet().stream().allMatch(e -> e.getValue().equals(r.tags().get(e.getKey())))) {
        fits.add(r.version());
      }
    }
    if (!fits.isEmpty()) {
      return Optional.of(String.join(" or ", fits));
    }
    boolean sameLine = tags.entrySet().stream().allMatch(e -> e.getValue().startsWith(minorLine(LATEST.tags().get(e.getKey()))));
    return sameLine ? Optional.of("v2.9.x") : Optional.empty();
  }

  /** "v1.9." for "v1.9.4": the prefix every patch of the same minor version has. */
  static String minorLine(String tag) {
    return tag.substring(0, tag.lastIndexOf('.') + 1);
  }

  /** "source-controller v1.9.4, kustomize-controller v1.9.4": what a manifest runs, in the release's order, for a message. */
  static String describe(Map<String, String> tags) {
    List<String> parts = new ArrayList<>();
    for (String controller : CONTROLLERS) {
      if (tags.containsKey(controller)) {
        parts.add(controller + " " + tags.get(controller));
      }
    }
    return String.join(", ", parts);
  }
}
