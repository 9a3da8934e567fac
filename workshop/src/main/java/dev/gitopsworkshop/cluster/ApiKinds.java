package dev.gitopsworkshop.cluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds a cluster serves, from its discovery documents through fabric8: where objects of an
 * apiVersion and kind live. A kind not found is looked up again next time, since a CRD may be
 * applied later.
 */
public final class ApiKinds {
  private final KubernetesClient client;
  private final Map<String, ResourceDefinitionContext> kinds = new ConcurrentHashMap<>();

  public ApiKinds(KubernetesClient client) {
    this.client = client;
  }

  public Optional<ResourceDefinitionContext> find(String apiVersion, String kind) {
    String key = apiVersion + "/" + kind;
    ResourceDefinitionContext known = kinds.get(key);
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
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    for (APIResource r : list.getResources()) {
      if (!r.getName().contains("/")) {
        kinds.put(apiVersion + "/" + r.getKind(), new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
            .withKind(r.getKind()).withPlural(r.getName()).withNamespaced(Boolean.TRUE.equals(r.getNamespaced())).build());
      }
    }
    return Optional.ofNullable(kinds.get(key));
  }
}
