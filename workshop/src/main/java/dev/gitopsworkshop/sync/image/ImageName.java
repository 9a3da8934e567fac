package dev.gitopsworkshop.sync.image;

/**
 * An ImageRepository's {@code spec.image} read as a registry reads it: the registry host
 * ({@code ghcr.io}; {@code docker.io} when the first part is not a host) and the repository path
 * ({@code stefanprodan/podinfo}; {@code library/} added for Docker Hub's official images).
 */
record ImageName(String registry, String repository) {
  /** A {@code spec.image} that cannot be scanned; the message says why. */
  static final class InvalidImage extends IllegalArgumentException {
    InvalidImage(String message) {
      super(message);
    }
  }

  static ImageName parse(String image) {
    if (image == null || image.isBlank()) {
      throw new InvalidImage("spec.image is empty: give the image without a tag, such as ghcr.io/stefanprodan/podinfo");
    }
    String text = image.strip();
    if (text.contains("://")) {
      throw new InvalidImage("spec.image '" + image + "' is a URL: give the image name without a scheme, such as ghcr.io/stefanprodan/podinfo");
    }
    if (text.contains("@") || text.substring(text.lastIndexOf('/') + 1).contains(":")) {
      throw new InvalidImage("spec.image '" + image + "' has a tag or digest: give the image name only (the policy chooses the tag)");
    }
    int slash = text.indexOf('/');
    String first = slash < 0 ? "" : text.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    String registry = host ? first : "docker.io";
    String repository = host ? text.substring(slash + 1) : text;
    if (registry.equals("docker.io") && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (!repository.matches("[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*")) {
      throw new InvalidImage("spec.image '" + image + "' is not a valid image name (lower-case path components separated by '/')");
    }
    return new ImageName(registry, repository);
  }

  /** The name Flux reports as {@code canonicalImageName} and uses in {@code latestRef.name}. */
  String canonical() {
    return (registry.equals("docker.io") ? "index.docker.io" : registry) + "/" + repository;
  }

  /** Where the registry's API is, when nothing mirrors it. */
  String apiHost() {
    return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
  }
}
