package dev.gitopsworkshop.sync.image;

import java.util.Map;

/**
 * Where the embedded image-reflector asks for a registry's tags: the lab's own registry stands in
 * for the public one it mirrors (offline, {@code ghcr.io} is served by the lab), as a registry
 * mirror does for a real cluster. Registries not mirrored are asked directly, over HTTPS, or HTTP
 * when the ImageRepository says {@code insecure: true}.
 */
public record RegistryMirrors(Map<String, String> mirrors) {
  public static RegistryMirrors none() {
    return new RegistryMirrors(Map.of());
  }

  /** {@code ghcr.io} served by the registry at {@code baseUrl} ({@code http://127.0.0.1:PORT}). */
  public static RegistryMirrors of(String registry, String baseUrl) {
    return new RegistryMirrors(Map.of(registry, baseUrl));
  }

  /** The base URL of the registry API to ask for this image. */
  String baseUrl(ImageName image, boolean insecure) {
    String mirror = mirrors.get(image.registry());
    return mirror != null ? mirror : (insecure ? "http://" : "https://") + image.apiHost();
  }
}
