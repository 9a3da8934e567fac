package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.cluster.k3s.ImagePulls;
import dev.gitopsworkshop.cluster.k3s.K3sCluster;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.sync.FluxManifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything a later {@code run --cluster k3s} downloads, fetched now (for a room with bad Wi-Fi):
 * Flux's install manifest into the cache and, where Docker answers, the k3s image and Testcontainers'
 * helpers into Docker, and Flux's and the examples' images as a tarball that k3s imports when it
 * starts.
 */
public final class Prefetch {
  private static final Pattern IMAGE = Pattern.compile("^\\s*-?\\s*image:\\s*['\"]?([^\\s'\"#]+)", Pattern.MULTILINE);

  private Prefetch() {}

  /** @return the images saved for k3s (empty when Docker does not answer) */
  public static List<String> run(URI fluxUrl, ProjectContent content, Consumer<String> progress) {
    FluxManifests.Verified flux;
    try {
      flux = FluxManifests.cachedOrDownload(fluxUrl, progress);
    } catch (WorkshopException e) {
      // the download's own hint suggests prefetch and run's options: here, say what prefetch can do
      throw new WorkshopException(e.getMessage(), "check the network, or download from a mirror with --flux-url URL; where the "
          + "release cannot be reached, give 'run' and 'up' Flux's install.yaml with --flux-manifests FILE", e);
    }
    DockerProbe.Answer docker = DockerProbe.ask();
    if (!docker.available()) {
      progress.accept("skipped the images (k3s, Flux's controllers, podinfo): no Docker engine answers ("
          + docker.reason() + "); without Docker a lab uses the embedded cluster, which needs none");
      return List.of();
    }
    ImagePulls pulls = ImagePulls.withProgress(progress);
    pulls.ensure(K3sCluster.IMAGE);
    K3sCluster.HELPER_IMAGES.forEach(pulls::ensure);
    Set<String> images = new LinkedHashSet<>(flux.images());
    images.addAll(exampleImages(content.examples()));
    List<String> saved = new ArrayList<>(images);
    pulls.saveTarball(saved, K3sCluster.imagesTarball(FluxManifests.cacheDir()));
    return saved;
  }

  /** The images the project's examples run (podinfo). */
  static List<String> exampleImages(Path examples) {
    Set<String> images = new LinkedHashSet<>();
    if (!Files.isDirectory(examples)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(examples)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
        Matcher m = IMAGE.matcher(Files.readString(file));
        while (m.find()) {
          String image = m.group(1);
          // a container's image has a tag; an ImageRepository's (step 8) names only the repository
          if (image.substring(image.lastIndexOf('/') + 1).contains(":") || image.contains("@")) {
            images.add(image);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(images);
  }
}
