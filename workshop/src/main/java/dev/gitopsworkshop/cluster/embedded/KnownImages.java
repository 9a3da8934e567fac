package dev.gitopsworkshop.cluster.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which images exist, for the embedded kubelet, offline: podinfo's released tags come from a data
 * file ({@code registry/podinfo.tags}), so a typo in a tag fails to pull (ErrImagePull, then
 * ImagePullBackOff) as it would on a real cluster. Other images are taken to exist.
 */
public final class KnownImages implements ImageResolver {
  private static final List<String> PODINFO = List.of("ghcr.io/stefanprodan/podinfo", "docker.io/stefanprodan/podinfo", "stefanprodan/podinfo");
  private final Set<String> podinfoTags;

  private KnownImages(Set<String> podinfoTags) {
    this.podinfoTags = podinfoTags;
  }

  public static KnownImages load() {
    try (var in = KnownImages.class.getResourceAsStream("/registry/podinfo.tags");
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return new KnownImages(reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
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
    return tagged && podinfoTags.contains(image.substring(colon + 1));
  }
}
