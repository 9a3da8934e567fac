package dev.gitopsworkshop.cluster.k3s;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.Cluster;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.cluster.TestcontainersDocker;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.testcontainers.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.testcontainers.utility.TestcontainersConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * k3s in a Docker container (Testcontainers), where real Flux runs. The lab's Git server on the
 * host is reachable from inside as {@code host.testcontainers.internal:<port>} (Flux gets that
 * name's address, as pods do not read the node's /etc/hosts); the kubeconfig is
 * written to the data dir; the container goes when the lab stops, unless kept for reuse.
 * {@code K3sContainer} throws in its constructor without Docker, so {@link #requireDocker()} comes
 * first, and fast.
 */
public final class K3sCluster implements Cluster {
  private static final Logger LOG = LoggerFactory.getLogger(K3sCluster.class);
  /** Kubernetes 1.33 (Flux 2.9 needs at least 1.33). */
  public static final String IMAGE = "rancher/k3s:v1.33.5-k3s1";
  /**
   * The helper images Testcontainers 2.0.5 starts beside k3s: Ryuk removes the lab's containers when
   * its process ends, sshd forwards the Git server's port into the container network.
   */
  public static final java.util.List<String> HELPER_IMAGES = java.util.List.of("testcontainers/ryuk:0.14.0", "testcontainers/sshd:1.3.0");
  /** Where k3s looks for image tarballs to import when it starts. */
  static final String AGENT_IMAGES = "/var/lib/rancher/k3s/agent/images/";
  static final String HOST_ALIAS = "host.testcontainers.internal";
  /** The wait for k3s to be ready unless {@code --k3s-timeout} says otherwise, in minutes. */
  public static final int DEFAULT_STARTUP_MINUTES = 6;
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(DEFAULT_STARTUP_MINUTES);
  /** How often the wait for k3s says how it goes. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  /** How long Testcontainers may take to find the engine (it tests each strategy with a request). */
  static final Duration TESTCONTAINERS_LOOKUP = Duration.ofSeconds(60);

  private final DataDir dir;
  private final int gitPort;
  private final Path imagesTarball;
  private final boolean keep;
  private final Duration startupTimeout;
  private volatile Running running;

  /** One k3s container as the lab uses it. */
  private record Running(K3sContainer container, String apiUrl, String hostAddress) {}

  private K3sCluster(DataDir dir, int gitPort, Path imagesTarball, boolean keep, Duration startupTimeout, Running running) {
    this.dir = dir;
    this.gitPort = gitPort;
    this.imagesTarball = imagesTarball;
    this.keep = keep;
    this.startupTimeout = startupTimeout;
    this.running = running;
  }

  /** One line naming Docker and the way out, before anything starts; the engine found otherwise. */
  public static DockerProbe.Answer requireDocker() {
    DockerProbe.Answer docker = DockerProbe.ask();
    if (!docker.available()) {
      throw WorkshopException.usage(
          "--cluster k3s needs a Docker engine, and none answers (" + docker.reason() + "): use --cluster embedded", null);
    }
    return docker;
  }

  /**
   * The engine Testcontainers will start k3s on, asked of Testcontainers itself: the probe looks
   * where it looks, in its order, and this says so, or says plainly why they disagree.
   */
  private static void confirmTestcontainersEngine(DockerProbe.Answer probe, Consumer<String> progress) {
    DockerProbe.Answer tc = TestcontainersDocker.ask(TESTCONTAINERS_LOOKUP);
    if (!tc.available()) {
      throw new WorkshopException(probe.reason() + ", but Testcontainers, which starts k3s, does not reach it: " + tc.reason(),
          "point Testcontainers at it with DOCKER_HOST=" + probe.endpoint().host() + " (or docker.host in ~/.testcontainers.properties), "
              + "or use --cluster embedded");
    }
    progress.accept(tc.endpoint().host().equals(probe.endpoint().host())
        ? "k3s runs on the Docker engine at " + probe.endpoint().host() + " (" + probe.endpoint().source() + ")"
        : "k3s runs on the Docker engine at " + tc.endpoint().host() + ", which Testcontainers chose (the lab's probe found "
            + probe.endpoint().host() + " first)");
  }

  /** The tarball {@code prefetch} writes: Flux's and podinfo's images, imported by k3s at start. */
  public static Path imagesTarball(Path cacheDir) {
    return cacheDir.resolve("k3s-images.tar");
  }

  /**
   * @param gitPort the host port of the lab's Git server, exposed to the container
   * @param keep leave the container running when the lab stops, and reuse it next time
   * @param imagesTarball imported by k3s at start when it exists
   * @param startupTimeout how long k3s may take to say it is ready ({@code --k3s-timeout})
   */
  public static K3sCluster start(DataDir dir, int gitPort, boolean keep, Path imagesTarball, Duration startupTimeout,
      Consumer<String> progress) {
    DockerProbe.Answer docker = requireDocker();
    if (keep && !TestcontainersConfiguration.getInstance().environmentSupportsReuse()) {
      throw WorkshopException.usage("--keep-cluster needs Testcontainers' container reuse, which is off",
          "add 'testcontainers.reuse.enable=true' to ~/.testcontainers.properties (or set TESTCONTAINERS_REUSE_ENABLE=true), or leave --keep-cluster out");
    }
    confirmTestcontainersEngine(docker, progress);
    return new K3sCluster(dir, gitPort, imagesTarball, keep, startupTimeout,
        launch(dir, gitPort, keep, imagesTarball, startupTimeout, progress));
  }

  /** Starts a k3s container that reaches the host's Git port, and writes its kubeconfig into the data dir. */
  private static Running launch(DataDir dir, int gitPort, boolean keep, Path imagesTarball, Duration startupTimeout,
      Consumer<String> progress) {
    ImagePulls.withProgress(progress).ensure(IMAGE);
    Testcontainers.exposeHostPorts(gitPort);
    K3sContainer container = new K3sContainer(DockerImageName.parse(IMAGE)).withAccessToHost(true).withReuse(keep);
    if (imagesTarball != null && Files.isRegularFile(imagesTarball)) {
      progress.accept("k3s loads the prefetched images from " + imagesTarball);
      container.withCopyFileToContainer(MountableFile.forHostPath(imagesTarball), AGENT_IMAGES + imagesTarball.getFileName());
    }
    progress.accept("starting k3s (" + IMAGE + ")" + (keep ? ", kept for reuse" : "") + ", waiting up to "
        + K3sStartup.minutes(startupTimeout) + " for it to be ready");
    try (K3sStartup startup = new K3sStartup(startupTimeout, PROGRESS_EVERY, progress)) {
      container.withStartupTimeout(startupTimeout).withLogConsumer(startup);
      try {
        container.start();
      } catch (RuntimeException e) {
        throw startup.failure(e);
      }
      progress.accept("k3s is ready after " + startup.elapsed().toSeconds() + " s");
    }
    KeptContainer.settle(dir, container.getDockerClient(), container.getContainerId(), keep, progress);
    String yaml = container.getKubeConfigYaml();
    try {
      DataDir.writeAtomically(dir.kubeconfig(), yaml, true);
    } catch (IOException e) {
      if (!keep) {
        container.stop();
      }
      throw new WorkshopException("cannot write " + dir.kubeconfig() + ": " + e.getMessage(), "check the data dir", e);
    }
    String api = "https://" + container.getHost() + ":" + container.getMappedPort(K3sContainer.KUBE_SECURE_PORT);
    return new Running(container, api, hostAddress(container, progress));
  }

  /**
   * The disaster demo's act on k3s: a new, empty k3s container in place of this one (the old one
   * is removed, even when kept for reuse). The kubeconfig in the data dir is rewritten for it.
   */
  @Override
  public synchronized String replace(boolean mayDeleteNamespaces) {
    Running old = running;
    running = launch(dir, gitPort, false, imagesTarball, startupTimeout, line -> { });
    old.container().stop();
    return "a new k3s container (" + IMAGE + ") in place of the old one, which was removed";
  }

  @Override
  public ClusterMode mode() {
    return ClusterMode.K3S;
  }

  @Override
  public Path kubeconfig() {
    return dir.kubeconfig();
  }

  @Override
  public String apiUrl() {
    return running.apiUrl();
  }

  @Override
  public String reachableFromCluster(String hostUrl) {
    return fromInside(hostUrl, running.hostAddress());
  }

  /**
   * The address of Testcontainers' host alias, from the container's /etc/hosts. Pods resolve names
   * through CoreDNS, which does not read the node's /etc/hosts, so Flux is given the address.
   */
  private static String hostAddress(K3sContainer container, Consumer<String> progress) {
    try {
      String hosts = container.copyFileFromContainer("/etc/hosts", in -> new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      String address = addressOf(hosts, HOST_ALIAS);
      if (address != null) {
        return address;
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read /etc/hosts in the k3s container", e);
    }
    progress.accept("the k3s container does not list " + HOST_ALIAS + " in /etc/hosts: Flux is given the name, which pods may not resolve");
    return HOST_ALIAS;
  }

  /** The address an /etc/hosts text gives a name, or null. */
  static String addressOf(String hosts, String name) {
    for (String line : hosts.lines().toList()) {
      String[] fields = line.replaceAll("#.*", "").trim().split("\\s+");
      for (int i = 1; i < fields.length; i++) {
        if (fields[i].equals(name)) {
          return fields[0];
        }
      }
    }
    return null;
  }

  /** A loopback host URL as the container sees it: through Testcontainers' host alias. */
  static String fromInside(String hostUrl) {
    return fromInside(hostUrl, HOST_ALIAS);
  }

  static String fromInside(String hostUrl, String hostAlias) {
    URI uri = URI.create(hostUrl);
    String host = uri.getHost();
    if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !"0.0.0.0".equals(host)) {
      return hostUrl;
    }
    return uri.getScheme() + "://" + (uri.getRawUserInfo() != null ? uri.getRawUserInfo() + "@" : "") + hostAlias
        + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
        + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
  }

  @Override
  public void close() {
    if (!keep) {
      running.container().stop();
    }
  }
}
