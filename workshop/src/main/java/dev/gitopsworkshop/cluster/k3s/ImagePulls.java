package dev.gitopsworkshop.cluster.k3s;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;

/**
 * Image pulls through the Docker engine Testcontainers talks to, with progress (a k3s image on a
 * slow network takes minutes), and saving images as a tarball that k3s imports at start. Only
 * called once {@link dev.gitopsworkshop.cluster.DockerProbe} has said Docker answers.
 */
public final class ImagePulls {
  private final DockerClient docker;
  private final Consumer<String> progress;

  private ImagePulls(DockerClient docker, Consumer<String> progress) {
    this.docker = docker;
    this.progress = progress;
  }

  public static ImagePulls withProgress(Consumer<String> progress) {
    return new ImagePulls(DockerClientFactory.instance().client(), progress);
  }

  /** Pulls through the given engine client. */
  static ImagePulls on(DockerClient docker, Consumer<String> progress) {
    return new ImagePulls(docker, progress);
  }

  /** Pulls the image unless the engine has it already. */
  public void ensure(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      progress.accept(image + ": already pulled");
      return;
    } catch (NotFoundException e) {
      // pull it below
    }
    progress.accept("pulling " + image + " (minutes on a slow network)");
    Map<String, long[]> layers = new ConcurrentHashMap<>();
    long[] lastReport = {System.nanoTime()};
    // the engine reports a failed pull as an item of the stream (errorDetail), not as an HTTP error
    AtomicReference<String> failure = new AtomicReference<>();
    try {
      docker.pullImageCmd(image).exec(new ResultCallback.Adapter<PullResponseItem>() {
        @Override
        public void onNext(PullResponseItem item) {
          if (item.getErrorDetail() != null || item.getError() != null) {
            String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                ? item.getErrorDetail().getMessage() : item.getError();
            failure.compareAndSet(null, message);
            return;
          }
          if (item.getId() != null && item.getProgressDetail() != null && item.getProgressDetail().getTotal() != null) {
            layers.put(item.getId(), new long[] {nz(item.getProgressDetail().getCurrent()), item.getProgressDetail().getTotal()});
          }
          long now = System.nanoTime();
          if (now - lastReport[0] > 3_000_000_000L && !layers.isEmpty()) {
            lastReport[0] = now;
            long done = layers.values().stream().mapToLong(l -> l[0]).sum();
            long total = layers.values().stream().mapToLong(l -> l[1]).sum();
            progress.accept(String.format("  %s: %.0f of %.0f MB", image, done / 1e6, total / 1e6));
          }
        }
      }).awaitCompletion();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkshopException("the pull of " + image + " was interrupted", null, e);
    } catch (RuntimeException e) {
      throw cannotPull(image, e.getMessage(), e);
    }
    if (failure.get() != null) {
      throw cannotPull(image, failure.get(), null);
    }
    try {
      docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw cannotPull(image, "the engine reported the pull done, but has no such image", e);
    }
    progress.accept(image + ": pulled");
  }

  private static WorkshopException cannotPull(String image, String why, Throwable cause) {
    return new WorkshopException("cannot pull " + image + ": " + why,
        "check the network and the registry (scripts/workshop doctor --cluster k3s), or run 'scripts/workshop prefetch' where it works", cause);
  }

  /** Saves the images (pulled first) into one tarball, written through a temporary file. */
  public void saveTarball(List<String> images, Path target) {
    images.forEach(this::ensure);
    var save = docker.saveImagesCmd();
    for (String image : images) {
      int colon = image.lastIndexOf(':');
      save = colon > image.lastIndexOf('/') ? save.withImage(image.substring(0, colon), image.substring(colon + 1)) : save.withImage(image, "latest");
    }
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
      try (InputStream in = save.exec()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      progress.accept(String.format("saved %d images in %s (%.0f MB), for k3s to load at start", images.size(), target, Files.size(target) / 1e6));
    } catch (IOException e) {
      throw new WorkshopException("cannot save the images to " + target + ": " + e.getMessage(), "check the space in the cache folder", e);
    }
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }
}
