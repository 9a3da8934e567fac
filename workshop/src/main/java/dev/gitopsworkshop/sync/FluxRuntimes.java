package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.cluster.embedded.ContainerContext;
import dev.gitopsworkshop.cluster.embedded.ContainerRuntime;
import dev.gitopsworkshop.cluster.embedded.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.gitopsworkshop.sync.image.ImageControllers;
import dev.gitopsworkshop.sync.image.RegistryMirrors;
import dev.gitopsworkshop.sync.build.KustomizeBuild;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs behind Flux's controller images on the embedded cluster: when the kubelet starts a pod
 * of {@code ghcr.io/fluxcd/source-controller}, {@code kustomize-controller},
 * {@code image-reflector-controller} or {@code image-automation-controller} (any tag, with or
 * without the registry), the matching embedded controllers start in process, talking to the API
 * over HTTPS with a fabric8 client like the real one, writing Flux's JSON lines to the container's
 * log; it stops when the pod goes. Installing Flux is therefore the same act in every mode:
 * applying its install manifest.
 */
public final class FluxRuntimes {
  private static final Logger LOG = LoggerFactory.getLogger(FluxRuntimes.class);
  private FluxRuntimes() {}

  /** Flux's controllers without a registry mirror (image scans go to the registries themselves). */
  public static void register(EmbeddedCluster cluster) {
    register(cluster, RegistryMirrors.none());
  }

  /** Flux's controllers; the image-reflector asks {@code mirrors} for the registries they stand in for. */
  public static void register(EmbeddedCluster cluster, RegistryMirrors mirrors) {
    runtimes(mirrors).forEach(cluster::register);
  }

  /**
   * One runtime per Flux controller image, sharing this cluster's source-controller storage.
   * Helm-controller, notification-controller and source-watcher have no embedded equivalent: their
   * pods only give the kinds they would reconcile a status that says so ({@link Unreconciled}). The
   * source-controller's pod, always installed, does it for every such kind, so that none is left
   * without a status when an install has no pod for them (the project's offline manifest has none).
   */
  static List<ContainerRuntime> runtimes(RegistryMirrors mirrors) {
    ArtifactStore artifacts = new ArtifactStore(); // this cluster's source-controller storage
    return List.of(
        new Runtime("fluxcd/source-controller") {
          @Override
          List<Reconciler> controllers(Kube api, Path workDir) {
            return List.of(new SourceController(api, workDir, artifacts), new Unreconciled(api, "source-controller", Unreconciled.ALL));
          }
        },
        new Runtime("fluxcd/kustomize-controller") {
          @Override
          List<Reconciler> controllers(Kube api, Path workDir) {
            return List.of(new KustomizeController(api, artifacts, workDir, KustomizeBuild.kubectlOnPath()));
          }
        },
        new Runtime("fluxcd/image-reflector-controller") {
          @Override
          List<Reconciler> controllers(Kube api, Path workDir) {
            return ImageControllers.reflector(api, mirrors);
          }
        },
        new Runtime("fluxcd/image-automation-controller") {
          @Override
          List<Reconciler> controllers(Kube api, Path workDir) {
            return ImageControllers.automation(api, workDir);
          }
        },
        new Runtime("fluxcd/helm-controller") {
          @Override
          List<Reconciler> controllers(Kube api, Path workDir) {
            return List.of(new Unreconciled(api, "helm-controller", Unreconciled.HELM));
          }
        },
        new Runtime("fluxcd/notification-controller") {
          @Override
          List<Reconciler> controllers(Kube api, Path workDir) {
            return List.of(new Unreconciled(api, "notification-controller", Unreconciled.NOTIFICATION));
          }
        },
        new Runtime("fluxcd/source-watcher") {
          @Override
          List<Reconciler> controllers(Kube api, Path workDir) {
            return List.of(new Unreconciled(api, "source-watcher", Unreconciled.SOURCE_WATCHER));
          }
        });
  }

  /** A runtime that only answers which images it runs (for tests of the matching). */
  static ContainerRuntime imageMatcher(String imageName) {
    return new Runtime(imageName) {
      @Override
      List<Reconciler> controllers(Kube api, Path workDir) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private abstract static class Runtime implements ContainerRuntime {
    private final String imageName;

    Runtime(String imageName) {
      this.imageName = imageName;
    }

    abstract List<Reconciler> controllers(Kube api, Path workDir);

    @Override
    public boolean runs(String image) {
      String withoutTag = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
      int colon = withoutTag.lastIndexOf(':');
      if (colon > withoutTag.lastIndexOf('/')) {
        withoutTag = withoutTag.substring(0, colon);
      }
      return withoutTag.equals(imageName) || withoutTag.endsWith("/" + imageName);
    }

    @Override
    public AutoCloseable start(ContainerContext context) throws IOException {
      Path workDir = Files.createTempDirectory("workshop-" + imageName.substring(imageName.indexOf('/') + 1));
      Kube api = Kube.forEmbedded(context.apiUrl(), context.token(), context.caPem());
      List<Reconciler> controllers = controllers(api, workDir);
      new FluxLog(context.log()).info("setup", "starting manager");
      controllers.forEach(c -> {
        c.logTo(context.log());
        c.start();
      });
      return () -> {
        controllers.forEach(Reconciler::close);
        api.close();
        deleteQuietly(workDir);
      };
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete the controller's work dir {}", dir, e);
    }
  }
}
