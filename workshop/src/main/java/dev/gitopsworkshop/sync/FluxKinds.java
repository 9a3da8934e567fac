package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.KubeKind;

/** The kinds the embedded source and kustomize controllers read and write. */
public final class FluxKinds {
  public static final KubeKind GIT_REPOSITORY = KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "GitRepository", "gitrepositories");
  public static final KubeKind KUSTOMIZATION = KubeKind.namespaced("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "kustomizations");
  public static final KubeKind SECRET = KubeKind.namespaced("v1", "Secret", "secrets");
  public static final KubeKind EVENT = KubeKind.namespaced("v1", "Event", "events");

  private FluxKinds() {}
}
