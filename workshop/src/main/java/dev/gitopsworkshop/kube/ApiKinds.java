package dev.gitopsworkshop.kube;

import dev.gitopsworkshop.ThreadScope;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The kinds a cluster serves, from its discovery documents through fabric8: where objects of an
 * apiVersion and kind live. A kind found is remembered until {@link #forget} (its CRD went away); a
 * kind not found is looked up again next time, since a CRD may be applied later, except within one
 * {@link #oneLook} on the same thread, which asks the cluster about it once.
 */
final class ApiKinds {
  /** Per thread in a look: for each cluster's kinds, what it was found not to serve. */
  private static final ThreadScope<Map<ApiKinds, Set<String>>> ABSENT_IN_LOOK = new ThreadScope<>();
  private final KubernetesClient client;
  private final Map<String, KubeKind> kinds = new ConcurrentHashMap<>();

  ApiKinds(KubernetesClient client) {
    this.client = client;
  }

  Optional<KubeKind> find(String apiVersion, String kind) {
    String key = apiVersion + "/" + kind;
    KubeKind known = kinds.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Map<ApiKinds, Set<String>> look = ABSENT_IN_LOOK.current();
    Set<String> absent = look == null ? null : look.computeIfAbsent(this, k -> new HashSet<>());
    if (absent != null && (absent.contains(key) || absent.contains(apiVersion))) {
      return Optional.empty();
    }
    Optional<KubeKind> found = discover(apiVersion, key, absent);
    if (found.isEmpty() && absent != null) {
      absent.add(key);
    }
    return found;
  }

  /** Asks the cluster; an apiVersion it does not serve at all goes into {@code absent} (when in a look). */
  private Optional<KubeKind> discover(String apiVersion, String key, Set<String> absent) {
    APIResourceList list;
    try {
      list = client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        if (absent != null) {
          absent.add(apiVersion);
        }
        return Optional.empty();
      }
      throw e;
    }
    if (list == null) {
      if (absent != null) {
        absent.add(apiVersion);
      }
      return Optional.empty();
    }
    for (APIResource r : list.getResources()) {
      if (!r.getName().contains("/")) {
        kinds.put(apiVersion + "/" + r.getKind(), new KubeKind(apiVersion, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced())));
      }
    }
    return Optional.ofNullable(kinds.get(key));
  }

  /**
   * Runs {@code look} (one look at a cluster: a round of checks) asking the cluster at most once
   * whether a kind it does not serve is served: each of a round's checks of a kind whose CRD is not
   * there yet would ask again. A look inside a look shares it.
   */
  static <T> T oneLook(Supplier<T> look) {
    return ABSENT_IN_LOOK.run(IdentityHashMap::new, look);
  }

  void forget(KubeKind kind) {
    kinds.remove(kind.apiVersion() + "/" + kind.kind());
  }
}
