package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.cluster.Cluster;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.cluster.KubeconfigCluster;
import dev.gitopsworkshop.cluster.embedded.EmbeddedCluster;
import dev.gitopsworkshop.cluster.embedded.TlsIdentity;
import dev.gitopsworkshop.cluster.k3s.K3sCluster;
import dev.gitopsworkshop.sync.FluxManifests;
import dev.gitopsworkshop.registry.KnownImages;
import dev.gitopsworkshop.registry.TagStore;
import dev.gitopsworkshop.sync.FluxRuntimes;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.sync.image.RegistryMirrors;
import java.util.function.Consumer;

/** The lab's cluster, one way per mode; the rest of the lab sees only {@link Cluster}. */
final class Clusters {
  private Clusters() {}

  /**
   * The mode to use: auto becomes k3s or embedded, with one line saying which and why. What can be
   * checked before anything starts fails here, at once: k3s without Docker, a kubeconfig that will not do.
   */
  static ClusterMode resolve(ClusterMode requested, ClusterChoice choice, Consumer<String> progress) {
    return switch (requested) {
      case AUTO -> {
        DockerProbe.Answer docker = DockerProbe.ask();
        progress.accept(docker.available()
            ? "using k3s with real Flux, as " + docker.reason() + "; --cluster embedded for the in-process cluster"
            : "using the embedded cluster, as no Docker engine answers (" + docker.reason() + ")");
        yield docker.available() ? ClusterMode.K3S : ClusterMode.EMBEDDED;
      }
      case K3S -> {
        K3sCluster.requireDocker();
        yield ClusterMode.K3S;
      }
      case KUBECONFIG -> {
        KubeconfigCluster.check(choice.kubeconfig(), choice.context(), choice.gitAdvertiseUrl());
        yield ClusterMode.KUBECONFIG;
      }
      default -> requested;
    };
  }

  /** The lab's tag registry, which stands in for ghcr.io on the embedded cluster (served at {@code url}). */
  record OfflineRegistry(TagStore tags, String url) {}

  /** Starts (or connects to) the cluster of a resolved mode; {@code registry} is for the embedded one. */
  static Cluster start(ClusterMode mode, Lab.Spec spec, int gitPort, OfflineRegistry registry, Consumer<String> progress) {
    ClusterChoice choice = spec.clusterChoice();
    return switch (mode) {
      case EMBEDDED -> embedded(spec, registry);
      case K3S -> K3sCluster.start(spec.dataDir(), gitPort, choice.keepCluster(),
          K3sCluster.imagesTarball(FluxManifests.cacheDir()),
          choice.k3sTimeout() != null ? choice.k3sTimeout() : K3sCluster.DEFAULT_STARTUP_TIMEOUT, progress);
      case KUBECONFIG -> {
        progress.accept("using the cluster of " + choice.kubeconfig()
            + (choice.context() != null ? " (context " + choice.context() + ")" : ""));
        yield KubeconfigCluster.connect(spec.dataDir(), choice.kubeconfig(), choice.context(), choice.gitAdvertiseUrl());
      }
      case AUTO -> throw new IllegalArgumentException("resolve the mode first");
    };
  }

  /**
   * Starts making, on its own thread, what a cluster of this mode will need and takes long to make:
   * the embedded API server's certificate (keytool is a JVM of its own).
   */
  static void prepare(ClusterMode mode, DataDir dir) {
    if (mode == ClusterMode.EMBEDDED) {
      TlsIdentity.prepare(dir);
    }
  }

  /**
   * The embedded cluster and everything only it needs: Flux's in-process controllers, whose
   * image-reflector asks the lab's registry for ghcr.io's tags, and the kubelet's offline image
   * list, which is that registry's.
   */
  private static EmbeddedCluster embedded(Lab.Spec spec, OfflineRegistry registry) {
    EmbeddedCluster cluster =
        EmbeddedCluster.start(new EmbeddedCluster.Options(spec.dataDir(), "127.0.0.1", spec.apiPort(), spec.podStartDelayMillis()));
    FluxRuntimes.register(cluster, RegistryMirrors.of("ghcr.io", registry.url()));
    cluster.images(new KnownImages(registry.tags())::exists);
    return cluster;
  }
}
