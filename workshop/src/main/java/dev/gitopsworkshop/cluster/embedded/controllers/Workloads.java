package dev.gitopsworkshop.cluster.embedded.controllers;

import dev.gitopsworkshop.cluster.embedded.NodeRuntime;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated workloads of the embedded cluster, started together: the node and system
 * namespaces, namespace deletion, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs,
 * CronJobs, HorizontalPodAutoscalers, the scheduler and kubelet, Services with their Endpoints and
 * EndpointSlices, service accounts and the garbage collector.
 */
public final class Workloads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Workloads.class);
  private final ScheduledExecutorService timers;
  private final Kubelet kubelet;
  private final List<AutoCloseable> parts;

  private Workloads(ScheduledExecutorService timers, Kubelet kubelet, List<AutoCloseable> parts) {
    this.timers = timers;
    this.kubelet = kubelet;
    this.parts = parts;
  }

  /**
   * Starts them on a store that may already hold objects (the node and system namespaces are added
   * when missing).
   *
   * @param runtimes the kubelet's in-process containers and image resolver, kept across restarts
   * @param node where the kubelet keeps what its containers write and serve
   */
  public static Workloads start(ResourceStore store, ResourceTypes types, String apiUrl, String token,
      String caPem, long podStartDelayMillis, ContainerRuntimes runtimes, NodeRuntime node) {
    ClusterBootstrap.ensure(store, types);
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "controller-timers");
      t.setDaemon(true);
      return t;
    });
    EventRecorder events = new EventRecorder(store, types);
    GarbageCollector gc = new GarbageCollector(store, types);
    NamespaceController namespaces = new NamespaceController(store, types, timers);
    ServiceAccountController serviceAccounts = new ServiceAccountController(store, types, timers);
    DeploymentController deployments = new DeploymentController(store, types, timers, events);
    ReplicaSetController replicaSets = new ReplicaSetController(store, types, timers, events);
    ServiceController services = new ServiceController(store, types, timers);
    EndpointsController endpoints = new EndpointsController(store, types, timers);
    StatefulSetController statefulSets = new StatefulSetController(store, types, timers, events);
    DaemonSetController daemonSets = new DaemonSetController(store, types, timers, events);
    JobController jobs = new JobController(store, types, timers, events);
    CronJobController cronJobs = new CronJobController(store, types, timers, events);
    HorizontalPodAutoscalerController autoscalers = new HorizontalPodAutoscalerController(store, types, timers, events);
    Kubelet kubelet = new Kubelet(store, types, timers, events, podStartDelayMillis, runtimes, node);
    gc.start();
    namespaces.start();
    serviceAccounts.start();
    deployments.start();
    replicaSets.start();
    services.start();
    endpoints.start();
    statefulSets.start();
    daemonSets.start();
    jobs.start();
    cronJobs.start();
    autoscalers.start();
    kubelet.start(apiUrl, token, caPem);
    EventExpiry expiry = new EventExpiry(store, types);
    timers.scheduleWithFixedDelay(expiry::expireNow, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    return new Workloads(timers, kubelet, List.of(kubelet, autoscalers, cronJobs, jobs, daemonSets, statefulSets, endpoints, services, replicaSets, deployments, serviceAccounts, namespaces, gc));
  }

  public Kubelet kubelet() {
    return kubelet;
  }

  @Override
  public void close() {
    for (AutoCloseable p : parts) {
      try {
        p.close();
      } catch (Exception e) {
        LOG.warn("a workload controller did not stop cleanly", e);
      }
    }
    timers.shutdownNow();
  }
}
