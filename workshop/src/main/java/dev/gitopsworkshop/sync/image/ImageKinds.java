package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.kube.KubeKind;


/** Flux's image automation kinds, {@code image.toolkit.fluxcd.io/v1}. */
final class ImageKinds {
  static final String API_VERSION = "image.toolkit.fluxcd.io/v1";
  static final KubeKind IMAGE_REPOSITORY = new KubeKind(API_VERSION, "ImageRepository", "imagerepositories", true);
  static final KubeKind IMAGE_POLICY = new KubeKind(API_VERSION, "ImagePolicy", "imagepolicies", true);
  static final KubeKind IMAGE_UPDATE_AUTOMATION = new KubeKind(API_VERSION, "ImageUpdateAutomation", "imageupdateautomations", true);

  private ImageKinds() {}
}
