package dev.gitopsworkshop.cluster.embedded;

/**
 * In-process behaviour behind the containers of particular images (the embedded cluster runs the
 * Flux controllers this way). Containers of other images are simulated.
 */
public interface ContainerRuntime {
  /** Whether this runtime runs containers of this image. */
  boolean runs(String image);

  /** Starts a container; the result is closed when the pod goes away. */
  AutoCloseable start(ContainerContext context) throws Exception;
}
