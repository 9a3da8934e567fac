package dev.gitopsworkshop.demo;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The kinds the demos follow, named as the API serves them. */
final class Kinds {
  static final ResourceDefinitionContext DEPLOYMENTS = of("apps", "v1", "Deployment", "deployments");
  static final ResourceDefinitionContext REPLICA_SETS = of("apps", "v1", "ReplicaSet", "replicasets");
  static final ResourceDefinitionContext PODS = of("", "v1", "Pod", "pods");
  static final ResourceDefinitionContext KUSTOMIZATIONS = of("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations");
  static final ResourceDefinitionContext GIT_REPOSITORIES = of("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories");

  private Kinds() {}

  private static ResourceDefinitionContext of(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
  }
}
