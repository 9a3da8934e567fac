package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.util.List;

/** What a new cluster has before anyone applies anything: a Ready node, the system namespaces, the kubernetes Service. */
final class ClusterBootstrap {
  static final String KUBELET_VERSION = "v1.33.4";

  private ClusterBootstrap() {}

  static void ensure(ResourceStore store, ResourceTypes types) {
    ResourceType namespaces = types.byPlural("", "v1", "namespaces").orElseThrow();
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      ObjectNode o = Json.object();
      o.putObject("metadata").put("name", ns).putObject("labels").put("kubernetes.io/metadata.name", ns);
      o.putObject("spec").putArray("finalizers").add("kubernetes");
      o.putObject("status").put("phase", "Active");
      createIfMissing(store, namespaces, o);
    }
    createIfMissing(store, types.byPlural("", "v1", "nodes").orElseThrow(), node());
    ObjectNode svc = Json.object();
    ObjectNode meta = svc.putObject("metadata").put("name", "kubernetes").put("namespace", "default");
    meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
    ObjectNode spec = svc.putObject("spec");
    spec.put("type", "ClusterIP");
    spec.put("clusterIP", "10.43.0.1");
    spec.putArray("clusterIPs").add("10.43.0.1");
    spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", 6443);
    createIfMissing(store, types.byPlural("", "v1", "services").orElseThrow(), svc);
  }

  private static ObjectNode node() {
    ObjectNode node = Json.object();
    ObjectNode meta = node.putObject("metadata").put("name", Kubelet.NODE);
    meta.putObject("labels")
        .put("kubernetes.io/hostname", Kubelet.NODE)
        .put("kubernetes.io/os", "linux")
        .put("kubernetes.io/arch", "amd64")
        .put("node-role.kubernetes.io/control-plane", "true");
    node.putObject("spec").put("podCIDR", "10.42.0.0/24");
    ObjectNode status = node.putObject("status");
    String now = ResourceStore.now();
    var conditions = status.putArray("conditions");
    for (String[] c : new String[][] {
        {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
        {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
        {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
        {"Ready", "True", "KubeletReady", "kubelet is posting ready status"}}) {
      conditions.addObject().put("type", c[0]).put("status", c[1]).put("reason", c[2]).put("message", c[3])
          .put("lastHeartbeatTime", now).put("lastTransitionTime", now);
    }
    status.putArray("addresses").addObject().put("type", "InternalIP").put("address", "10.0.0.10");
    ((com.fasterxml.jackson.databind.node.ArrayNode) status.get("addresses")).addObject().put("type", "Hostname").put("address", Kubelet.NODE);
    for (String f : List.of("capacity", "allocatable")) {
      status.putObject(f).put("cpu", "2").put("memory", "8Gi").put("pods", "110").put("ephemeral-storage", "50Gi");
    }
    status.putObject("nodeInfo")
        .put("kubeletVersion", KUBELET_VERSION)
        .put("kubeProxyVersion", KUBELET_VERSION)
        .put("osImage", "gitops-workshop embedded node")
        .put("kernelVersion", System.getProperty("os.version"))
        .put("containerRuntimeVersion", "embedded://simulated")
        .put("operatingSystem", "linux")
        .put("architecture", "amd64");
    return node;
  }

  private static void createIfMissing(ResourceStore store, ResourceType type, ObjectNode o) {
    try {
      store.create(type, o, false);
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
    }
  }
}
