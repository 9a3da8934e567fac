package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.sync.FluxApi;

/** Flux's image automation kinds, {@code image.toolkit.fluxcd.io/v1}. */
final class ImageKinds {
  static final String API_VERSION = "image.toolkit.fluxcd.io/v1";
  static final FluxApi.Kind IMAGE_REPOSITORY = new FluxApi.Kind(API_VERSION, "ImageRepository", "imagerepositories", true);
  static final FluxApi.Kind IMAGE_POLICY = new FluxApi.Kind(API_VERSION, "ImagePolicy", "imagepolicies", true);
  static final FluxApi.Kind IMAGE_UPDATE_AUTOMATION = new FluxApi.Kind(API_VERSION, "ImageUpdateAutomation", "imageupdateautomations", true);

  private ImageKinds() {}
}
