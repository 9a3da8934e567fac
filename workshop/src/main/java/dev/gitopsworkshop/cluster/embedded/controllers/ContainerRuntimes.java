package dev.gitopsworkshop.cluster.embedded.controllers;

import dev.gitopsworkshop.cluster.embedded.ContainerRuntime;
import dev.gitopsworkshop.cluster.embedded.ImageResolver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the kubelet knows about images: which ones a registered {@link ContainerRuntime} runs, and
 * which ones can be pulled at all. Outlives a cluster reset, so registrations stay.
 */
public final class ContainerRuntimes {
  private final List<ContainerRuntime> runtimes = new CopyOnWriteArrayList<>();
  private volatile ImageResolver images = ImageResolver.EVERY_IMAGE_EXISTS;

  public void register(ContainerRuntime runtime) {
    runtimes.add(runtime);
  }

  public void images(ImageResolver resolver) {
    images = resolver == null ? ImageResolver.EVERY_IMAGE_EXISTS : resolver;
  }

  boolean exists(String image) {
    return images.exists(image);
  }

  Optional<ContainerRuntime> runtimeFor(String image) {
    return runtimes.stream().filter(r -> r.runs(image)).findFirst();
  }
}
