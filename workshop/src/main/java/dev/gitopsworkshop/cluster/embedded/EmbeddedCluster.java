package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.Cluster;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.embedded.controllers.ContainerRuntimes;
import dev.gitopsworkshop.cluster.embedded.controllers.Kubelet;
import dev.gitopsworkshop.cluster.embedded.controllers.Workloads;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes: storage, the API server on loopback (bearer token) and the simulated
 * workloads. Its port and token are kept in the data dir, so that a restarted lab serves the same
 * kubeconfig; its objects are not (a restart is a new, empty cluster, like a lost production one).
 */
public final class EmbeddedCluster implements Cluster {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);
  /**
   * How to start it.
   *
   * @param port null: the one used last time with this data dir, else any; 0: any
   * @param token the bearer token; null: the one used last time with this data dir, else random
   * @param podStartDelayMillis how long a pod shows ContainerCreating before it runs
   */
  public record Options(DataDir dataDir, String bindAddress, Integer port, String token, long podStartDelayMillis) {
    public static final long DEFAULT_POD_START_DELAY_MILLIS = 150;

    public Options {
      if (bindAddress == null) {
        bindAddress = "127.0.0.1";
      }
    }

    public Options(DataDir dataDir, String bindAddress, Integer port, long podStartDelayMillis) {
      this(dataDir, bindAddress, port, null, podStartDelayMillis);
    }
  }

  private final ResourceStore store;
  private final ResourceTypes types;
  private final ApiServer api;
  private final String token;
  private final Path kubeconfig;
  private final long podStartDelayMillis;
  private final String caPem;
  private final ContainerRuntimes runtimes = new ContainerRuntimes();
  private final NodeRuntime node;
  private volatile Workloads workloads;

  private EmbeddedCluster(ResourceStore store, ResourceTypes types, NodeRuntime node, ApiServer api, String token,
      Path kubeconfig, String caPem, long podStartDelayMillis) {
    this.store = store;
    this.node = node;
    this.types = types;
    this.api = api;
    this.token = token;
    this.kubeconfig = kubeconfig;
    this.caPem = caPem;
    this.podStartDelayMillis = podStartDelayMillis;
  }

  public static EmbeddedCluster start(Options options) {
    DataDir dir = options.dataDir().ensureWritable();
    Path state = dir.resolve("cluster.json");
    String token = options.token();
    Integer port = options.port();
    try {
      if (Files.exists(state)) {
        JsonNode saved = Json.MAPPER.readTree(Files.readString(state));
        if (token == null) {
          token = saved.path("token").asText(null);
        }
        if (port == null && saved.has("port")) {
          port = saved.get("port").asInt();
        }
      }
    } catch (IOException e) {
      LOG.warn("the cluster's state file {} is damaged: starting afresh with a new token", state, e);
    }
    if (token == null) {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      token = HexFormat.of().formatHex(bytes);
    }
    ResourceStore store = new ResourceStore();
    ResourceTypes types = new ResourceTypes();
    TlsIdentity tls = TlsIdentity.ensure(dir);
    NodeRuntime node = new NodeRuntime();
    ApiServer api = ApiServer.start(store, types, node, token, options.bindAddress(), port == null ? 0 : port, tls);
    EmbeddedCluster cluster = new EmbeddedCluster(store, types, node, api, token, dir.kubeconfig(), tls.caPem(), options.podStartDelayMillis());
    try {
      DataDir.writeAtomically(state, Json.write(Json.object().put("port", api.port()).put("token", token)) + "\n", true);
      Kubeconfig.write(dir.kubeconfig(), api.url(), token, tls.caPem());
    } catch (IOException e) {
      cluster.close();
      throw new WorkshopException("cannot write the kubeconfig in " + dir.root() + ": " + e.getMessage(), "check the data dir", e);
    }
    cluster.workloads = Workloads.start(store, types, api.url(), token, tls.caPem(), options.podStartDelayMillis(), cluster.runtimes, node);
    return cluster;
  }

  /**
   * A new, empty cluster in place of this one: every in-process container stopped, every object and
   * custom resource type gone, the node, system namespaces and service accounts back. Registered
   * container runtimes and the image resolver stay.
   */
  public synchronized void reset() {
    workloads.close();
    node.clear();
    store.clear();
    types.all().stream().filter(t -> !t.builtIn()).forEach(t -> types.removeCustom(t.group(), t.plural()));
    workloads = Workloads.start(store, types, api.url(), token, caPem, podStartDelayMillis, runtimes, node);
  }

  /** The lost cluster's replacement: {@link #reset()}; the API address, token and kubeconfig stay. */
  @Override
  public String replace(boolean mayDeleteNamespaces) {
    reset();
    return "a new, empty embedded cluster (same API address and kubeconfig)";
  }

  /** The node's kubelet: {@code kubelet().register(runtime)} gives containers of some images real behaviour. */
  public Kubelet kubelet() {
    return workloads.kubelet();
  }

  /** Gives containers of some images real in-process behaviour (kept across {@link #reset()}). */
  public void register(ContainerRuntime runtime) {
    runtimes.register(runtime);
  }

  /** Decides which images exist (kept across {@link #reset()}). */
  public void images(ImageResolver resolver) {
    runtimes.images(resolver);
  }

  /** What runs on the cluster's node: containers' output and the ports pods serve. */
  public NodeRuntime node() {
    return node;
  }

  /** Writes a kubeconfig for this cluster (cluster, context and user named {@code workshop}), mode 0600. */
  public void writeKubeconfig(Path file) {
    try {
      Kubeconfig.write(file, api.url(), token, caPem);
    } catch (IOException e) {
      throw new WorkshopException("cannot write a kubeconfig to " + file + ": " + e.getMessage(),
          "check that its folder exists and is writable", e);
    }
  }

  @Override
  public ClusterMode mode() {
    return ClusterMode.EMBEDDED;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public String apiUrl() {
    return api.url();
  }

  /** The embedded cluster's workloads run in this process, so they reach the host as the host does. */
  @Override
  public String reachableFromCluster(String hostUrl) {
    return hostUrl;
  }

  public String token() {
    return token;
  }

  public ResourceStore store() {
    return store;
  }

  public ResourceTypes types() {
    return types;
  }

  @Override
  public void close() {
    if (workloads != null) {
      workloads.close();
    }
    api.close();
    node.close();
  }
}
