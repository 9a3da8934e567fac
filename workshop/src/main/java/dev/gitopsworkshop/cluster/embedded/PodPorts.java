package dev.gitopsworkshop.cluster.embedded;

import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoServer;
import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoStandIn;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ports the node's pods really serve: those of the podinfo stand-ins the kubelet runs (other
 * containers are simulated and serve nothing). Port-forwards connect through it.
 */
public final class PodPorts implements AutoCloseable {
  private final Map<String, Map<String, PodinfoStandIn>> byPod = new ConcurrentHashMap<>();
  private final PodinfoServer server = new PodinfoServer();

  /** A container of the pod now answers on its stand-in's ports. */
  public void serve(String podUid, String container, PodinfoStandIn standIn) {
    byPod.computeIfAbsent(podUid, k -> new ConcurrentHashMap<>()).put(container, standIn);
  }

  /** The container stopped. */
  public void stop(String podUid, String container) {
    Map<String, PodinfoStandIn> containers = byPod.get(podUid);
    if (containers != null) {
      containers.remove(container);
    }
  }

  /** The pod is gone. */
  public void forget(String podUid) {
    byPod.remove(podUid);
  }

  /** The stand-in of the pod listening on {@code port}, if one does. */
  public Optional<PodinfoStandIn> listening(String podUid, int port) {
    return byPod.getOrDefault(podUid, Map.of()).values().stream().filter(s -> s.config().ports().contains(port)).findFirst();
  }

  /** The ports the pod's stand-ins listen on. */
  public java.util.List<Integer> servedPorts(String podUid) {
    return byPod.getOrDefault(podUid, Map.of()).values().stream().flatMap(s -> s.config().ports().stream()).sorted().toList();
  }

  /** Whether any container of the pod runs a stand-in. */
  public boolean servesAny(String podUid) {
    return !byPod.getOrDefault(podUid, Map.of()).isEmpty();
  }

  public PodinfoServer.Connection connect(PodinfoStandIn standIn, int port) throws IOException {
    return server.connect(standIn, port);
  }

  /** How many forwarded connections to stand-ins are open now. */
  public int openConnections() {
    return server.openConnections();
  }

  public void clear() {
    byPod.clear();
  }

  @Override
  public void close() {
    server.close();
  }
}
