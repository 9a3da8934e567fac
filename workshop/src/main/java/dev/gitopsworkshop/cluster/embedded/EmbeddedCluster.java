package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.Cluster;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.embedded.controllers.Workloads;
import dev.gitopsworkshop.lab.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An in-process Kubernetes: storage, the API server on loopback (bearer token) and the simulated
 * workloads. Its port and token are kept in the data dir, so that a restarted lab serves the same
 * kubeconfig; its objects are not (a restart is a new, empty cluster, like a lost production one).
 */
public final class EmbeddedCluster implements Cluster {
  /** How to start it. {@code port} null: the one used last time with this data dir, else any. */
  public record Options(DataDir dataDir, String bindAddress, Integer port, long podStartDelayMillis) {
    public Options {
      if (bindAddress == null) {
        bindAddress = "127.0.0.1";
      }
    }
  }

  private final ResourceStore store;
  private final ResourceTypes types;
  private final ApiServer api;
  private final String token;
  private final Path kubeconfig;
  private final long podStartDelayMillis;
  private final String caPem;
  private volatile Workloads workloads;
  private final java.util.List<ContainerRuntime> runtimes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile ImageResolver images = ImageResolver.EVERY_IMAGE_EXISTS;

  private EmbeddedCluster(ResourceStore store, ResourceTypes types, ApiServer api, String token, Path kubeconfig,
      long podStartDelayMillis, String caPem) {
    this.caPem = caPem;
    this.store = store;
    this.types = types;
    this.api = api;
    this.token = token;
    this.kubeconfig = kubeconfig;
    this.podStartDelayMillis = podStartDelayMillis;
  }

  public static EmbeddedCluster start(Options options) {
    DataDir dir = options.dataDir().ensureWritable();
    Path state = dir.resolve("cluster.json");
    String token = null;
    Integer port = options.port();
    try {
      if (Files.exists(state)) {
        JsonNode saved = Json.MAPPER.readTree(Files.readString(state));
        token = saved.path("token").asText(null);
        if (port == null && saved.has("port")) {
          port = saved.get("port").asInt();
        }
      }
    } catch (IOException e) {
      // a damaged state file: start afresh with a new token
    }
    if (token == null) {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      token = HexFormat.of().formatHex(bytes);
    }
    ResourceStore store = new ResourceStore();
    ResourceTypes types = new ResourceTypes();
    TlsIdentity tls = TlsIdentity.ensure(dir);
    ApiServer api = ApiServer.start(store, types, token, options.bindAddress(), port == null ? 0 : port, tls);
    EmbeddedCluster cluster = new EmbeddedCluster(store, types, api, token, dir.kubeconfig(), options.podStartDelayMillis(), tls.caPem());
    try {
      DataDir.writeAtomically(state, Json.write(Json.object().put("port", api.port()).put("token", token)) + "\n", true);
      Kubeconfig.write(dir.kubeconfig(), api.url(), token, tls.caPem());
    } catch (IOException e) {
      cluster.close();
      throw new WorkshopException("cannot write the kubeconfig in " + dir.root() + ": " + e.getMessage(), "check the data dir", e);
    }
    cluster.workloads = Workloads.start(store, types, api.url(), token, tls.caPem(), options.podStartDelayMillis());
    return cluster;
  }

  /** A new, empty cluster in place of this one: every object gone, the node and system namespaces back. */
  public synchronized void reset() {
    workloads.stopContainers();
    workloads.close();
    store.clear();
    types.all().stream().filter(t -> !t.builtIn()).forEach(t -> types.removeCustom(t.group(), t.plural()));
    workloads = Workloads.start(store, types, api.url(), token, caPem, podStartDelayMillis);
    runtimes.forEach(workloads.kubelet()::register);
    workloads.kubelet().images(images);
  }

  /** Gives containers of some images real in-process behaviour (kept across {@link #reset()}). */
  public void register(ContainerRuntime runtime) {
    runtimes.add(runtime);
    workloads.kubelet().register(runtime);
  }

  /** Decides which images exist (kept across {@link #reset()}). */
  public void images(ImageResolver resolver) {
    images = resolver;
    workloads.kubelet().images(resolver);
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
  }
}
