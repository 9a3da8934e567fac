package dev.gitopsworkshop.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Where objects of one kind live in the API: {@code apiVersion}, kind, plural, and whether namespaced. */
public record KubeKind(String apiVersion, String kind, String plural, boolean namespaced) {
  /** A namespaced kind. */
  public static KubeKind namespaced(String apiVersion, String kind, String plural) {
    return new KubeKind(apiVersion, kind, plural, true);
  }

  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public String version() {
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }

  /** The collection's path: {@code /api/v1/namespaces/ns/pods}, {@code /apis/g/v/plural} for all namespaces. */
  public String path(String namespace) {
    String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    return base + (namespaced && namespace != null && !namespace.isEmpty() ? "/namespaces/" + namespace : "") + "/" + plural;
  }

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group()).withVersion(version()).withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
  }
}
