package dev.gitopsworkshop.projector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/** Reading Flux's status the way {@code flux get} does: the Ready condition and the revision. */
final class FluxObjects {
  private FluxObjects() {}

  static Map<?, ?> ready(GenericKubernetesResource o) {
    if (o.get("status", "conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
          return m;
        }
      }
    }
    return null;
  }

  /**
   * What the object last did, as {@code flux get} shows it: a Kustomization's last applied revision,
   * a source's artifact revision, an ImagePolicy's chosen tag, an ImageRepository's tag count, an
   * ImageUpdateAutomation's last pushed commit; or "".
   */
  static String revision(GenericKubernetesResource o) {
    Object applied = o.get("status", "lastAppliedRevision");
    Object artifact = o.get("status", "artifact", "revision");
    Object tag = o.get("status", "latestRef", "tag");
    Object tags = o.get("status", "lastScanResult", "tagCount");
    Object pushed = o.get("status", "lastPushCommit");
    if (applied != null) {
      return applied.toString();
    } else if (artifact != null) {
      return artifact.toString();
    } else if (tag != null) {
      return "tag " + tag;
    } else if (tags != null) {
      return tags + " tags";
    } else if (pushed != null) {
      String sha = pushed.toString();
      return "pushed " + (sha.length() > 7 ? sha.substring(0, 7) : sha);
    }
    return "";
  }

  /** The commit of {@code main@sha1:<40 hex>} (or of a bare 40-hex revision); null otherwise. */
  static String sha(String revision) {
    int at = revision.lastIndexOf(':');
    String sha = at < 0 ? revision : revision.substring(at + 1);
    return sha.matches("[0-9a-f]{40}") ? sha : null;
  }
}
