package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.git.PushEvent;
import dev.gitopsworkshop.sync.source.GitReference;
import java.util.Optional;

/** Which Flux object a push or a change in the cluster should nudge: the decisions, without I/O. */
final class NudgeRules {
  private NudgeRules() {}

  /**
   * Whether a GitRepository with this {@code spec.url} and {@code spec.ref.branch} follows the
   * pushed ref: the URL names the pushed repository (with or without {@code .git}, any host, since
   * the cluster may reach the Git server under another name) and the branch is the pushed one.
   */
  static boolean followsPush(String url, String branch, PushEvent push) {
    return followsPush(url, GitReference.branch(branch == null || branch.isEmpty() ? GitReference.DEFAULT_BRANCH : branch), push);
  }

  /**
   * Whether a GitRepository with this {@code spec.url} and {@code spec.ref} follows the pushed ref:
   * its branch, its tag, any tag for a semver range, its ref name, or its commit's branch (any
   * branch without one).
   */
  static boolean followsPush(String url, GitReference ref, PushEvent push) {
    String pushed = push.ref();
    if (url == null || pushed == null || !repositoryPath(url).equals(repositoryPath(push.repository()))) {
      return false;
    }
    return switch (ref.strategy()) {
      case BRANCH -> pushed.equals("refs/heads/" + ref.branch());
      case TAG -> pushed.equals("refs/tags/" + ref.tag());
      case SEMVER -> pushed.startsWith("refs/tags/");
      case NAME -> pushed.equals(ref.name().replace("^{}", ""));
      case COMMIT -> ref.branch().isEmpty() ? pushed.startsWith("refs/heads/") : pushed.equals("refs/heads/" + ref.branch());
    };
  }

  /** The last path segment of a repository URL or name, without a trailing slash or {@code .git}. */
  static String repositoryPath(String urlOrName) {
    String s = urlOrName.replaceAll("[?#].*$", "").replaceAll("/+$", "");
    s = s.substring(s.lastIndexOf('/') + 1);
    return s.endsWith(".git") ? s.substring(0, s.length() - 4) : s;
  }

  /**
   * Whether a watch event on an object of a Kustomization's inventory is drift: the object was
   * deleted, or its spec changed (its generation moved since it was last seen). A change made by
   * Flux's own apply counts too: the Kustomization it nudges then finds nothing to do, so it costs
   * one reconcile that changes nothing, and never loops.
   */
  static boolean isDrift(String eventType, Long previousGeneration, long generation) {
    return switch (eventType) {
      case "DELETED" -> true;
      case "MODIFIED" -> previousGeneration != null && previousGeneration != generation;
      default -> false;
    };
  }

  /** One entry of a Kustomization's {@code status.inventory}: {@code <ns>_<name>_<group>_<Kind>} and {@code v}. */
  record InventoryEntry(String namespace, String name, String group, String kind, String version) {
    static Optional<InventoryEntry> parse(String id, String version) {
      String[] p = id == null ? new String[0] : id.split("_", -1);
      if (p.length != 4 || p[1].isEmpty() || p[3].isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new InventoryEntry(p[0], p[1], p[2], p[3], version));
    }

    static String id(String namespace, String name, String group, String kind) {
      return (namespace == null ? "" : namespace) + "_" + name + "_" + group + "_" + kind;
    }

    String id() {
      return id(namespace, name, group, kind);
    }

    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }
}
