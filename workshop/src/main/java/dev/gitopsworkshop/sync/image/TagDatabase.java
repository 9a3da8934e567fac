package dev.gitopsworkshop.sync.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The image-reflector's memory of the last scan of each image (Flux keeps it in a database beside
 * the controller): the ImageRepository controller writes it, the ImagePolicy controller reads it.
 * Lost with the controller's pod, like an emptyDir: the next scan fills it again.
 */
final class TagDatabase {
  private final Map<String, List<String>> tags = new ConcurrentHashMap<>();

  void put(String canonicalImage, List<String> scanned) {
    tags.put(canonicalImage, List.copyOf(scanned));
  }

  Optional<List<String>> tags(String canonicalImage) {
    return Optional.ofNullable(tags.get(canonicalImage));
  }
}
