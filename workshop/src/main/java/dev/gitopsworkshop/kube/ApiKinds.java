package dev.gitopsworkshop.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds a cluster serves, from its discovery documents through fabric8: where objects of an
 * apiVersion and kind live. A kind found is remembered until {@link #forget} (its CRD went away); a
 * kind not found is looked up again next time, since a CRD may be applied later.
 */
final class ApiKinds {
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
    APIResourceList list;
    try {
      list = client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    if (list == null) {
      return Optional.empty();
    }
    for (APIResource r : list.getResources()) {
      if (!r.getName().contains("/")) {
        kinds.put(apiVersion + "/" + r.getKind(), new KubeKind(apiVersion, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced())));
      }
    }
    return Optional.ofNullable(kinds.get(key));
  }

  void forget(KubeKind kind) {
    kinds.remove(kind.apiVersion() + "/" + kind.kind());
  }
}
