package dev.gitopsworkshop.cluster.embedded;

/**
 * Whether an image can be pulled. The embedded kubelet asks before "starting" a container; an image
 * that does not exist shows ErrImagePull then ImagePullBackOff, like a real kubelet.
 */
public interface ImageResolver {
  ImageResolver EVERY_IMAGE_EXISTS = image -> true;

  boolean exists(String image);
}
