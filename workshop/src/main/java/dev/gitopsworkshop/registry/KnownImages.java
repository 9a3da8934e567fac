package dev.gitopsworkshop.registry;

import java.util.List;

/**
 * Which images exist, for the embedded kubelet, offline (the lab hands {@link #exists} to the
 * cluster, which knows nothing of the registry): podinfo's tags are those of the lab's
 * registry ({@link TagStore}: the project's list of released tags, plus what an instructor
 * publishes), so a typo in a tag fails to pull (ErrImagePull, then ImagePullBackOff) as it would on
 * a real cluster. Other images are taken to exist.
 */
public final class KnownImages {
  private static final List<String> PODINFO = List.of("ghcr.io/stefanprodan/podinfo", "docker.io/stefanprodan/podinfo", "stefanprodan/podinfo");
  private final TagStore tags;

  public KnownImages(TagStore tags) {
    this.tags = tags;
  }

  /** The project's own tags, without a lab's additions. */
  public static KnownImages load() {
    return new KnownImages(TagStore.bundled());
  }

  public boolean exists(String image) {
    if (image.contains("@sha256:")) {
      return true;
    }
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > image.lastIndexOf('/');
    String repository = tagged ? image.substring(0, colon) : image;
    if (!PODINFO.contains(repository)) {
      return true;
    }
    return tagged && tags.has(TagStore.PODINFO, image.substring(colon + 1));
  }
}
