package dev.gitopsworkshop.cluster.embedded.controllers;

import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The simulated workloads of the embedded cluster, started together: the node and system
 * namespaces, Deployments, ReplicaSets, the scheduler and kubelet, Services, service accounts and
 * the garbage collector.
 */
public final class Workloads implements AutoCloseable {
  private final ScheduledExecutorService timers;
  private final Kubelet kubelet;
  private final List<AutoCloseable> parts;

  private Workloads(ScheduledExecutorService timers, Kubelet kubelet, List<AutoCloseable> parts) {
    this.timers = timers;
    this.kubelet = kubelet;
    this.parts = parts;
  }

  public static Workloads start(
      ResourceStore store, ResourceTypes types, String apiUrl, String token, String caPem, long podStartDelayMillis) {
    ClusterBootstrap.ensure(store, types);
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "controller-timers");
      t.setDaemon(true);
      return t;
    });
    EventRecorder events = new EventRecorder(store, types);
    GarbageCollector gc = new GarbageCollector(store, types);
    NamespaceController namespaces = new NamespaceController(store, types, timers);
    DeploymentController deployments = new DeploymentController(store, types, timers, events);
    ReplicaSetController replicaSets = new ReplicaSetController(store, types, timers, events);
    ServiceController services = new ServiceController(store, types, timers);
    Kubelet kubelet = new Kubelet(store, types, timers, events, podStartDelayMillis);
    gc.start();
    namespaces.start();
    deployments.start();
    replicaSets.start();
    services.start();
    kubelet.start(apiUrl, token, caPem);
    return new Workloads(timers, kubelet, List.of(kubelet, services, replicaSets, deployments, namespaces, gc));
  }

  public Kubelet kubelet() {
    return kubelet;
  }

  /** Stops every in-process container before the store is emptied (a new, empty cluster). */
  public void stopContainers() {
    kubelet.stopAll();
  }

  @Override
  public void close() {
    for (AutoCloseable p : parts) {
      try {
        p.close();
      } catch (Exception ignored) {
        // stopping anyway
      }
    }
    timers.shutdownNow();
  }
}
