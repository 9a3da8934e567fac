package dev.gitopsworkshop.cluster;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import dev.gitopsworkshop.WorkshopException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the lab put into a cluster it does not own, and taking it out again: the objects Flux
 * applied from the workshop repository (the Kustomizations' inventories) and the
 * {@code flux-system} namespace with the operator in it. Flux's CRDs stay (other things may use
 * them), and so does every namespace the cluster had before. This is the existing cluster's
 * "disaster": afterwards the operator is installed again from Git and everything converges back.
 */
public final class LabFootprint {
  static final String FLUX_NAMESPACE = "flux-system";
  private static final Set<String> KEPT_NAMESPACES = Set.of("default", "kube-system", "kube-public", "kube-node-lease");
  private static final ResourceDefinitionContext KUSTOMIZATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("kustomize.toolkit.fluxcd.io").withVersion("v1").withKind("Kustomization").withPlural("kustomizations")
      .withNamespaced(true).build();

  private LabFootprint() {}

  /** One object of an inventory: {@code <namespace>_<name>_<group>_<kind>} and its version. */
  record Entry(String namespace, String name, String group, String kind, String version) {
    static Entry parse(String id, String version) {
      String[] p = id.split("_", -1);
      if (p.length != 4) {
        return null;
      }
      return new Entry(p[0], p[1], p[2], p[3], version);
    }

    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  /**
   * Deletes it all and waits until it is gone; returns what was done, in one line. The operator
   * goes first (its Kustomizations, while their controller still runs to let them go, then its
   * namespace), so that nothing puts back what is deleted after it.
   */
  public static String remove(Path kubeconfig, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Kube kube = Kube.fromKubeconfig(kubeconfig)) {
      KubernetesClient client = kube.client();
      List<Entry> applied = inventory(client);
      try {
        client.genericKubernetesResources(KUSTOMIZATIONS).inAnyNamespace().list().getItems().forEach(ks ->
            client.genericKubernetesResources(KUSTOMIZATIONS).inNamespace(ks.getMetadata().getNamespace()).withName(ks.getMetadata().getName()).delete());
        await(deadline, "the Kustomizations", () -> client.genericKubernetesResources(KUSTOMIZATIONS).inAnyNamespace().list().getItems().isEmpty(),
            "'kubectl get kustomizations -A -o yaml' shows what holds them (a finalizer of a stopped controller)");
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
      List<String> namespaces = new ArrayList<>();
      namespaces.add(FLUX_NAMESPACE);
      deleteNamespaces(client, namespaces, deadline);
      int deleted = 0;
      List<String> created = new ArrayList<>();
      for (Entry e : applied) {
        if (e.kind().equals("Namespace")) {
          if (!KEPT_NAMESPACES.contains(e.name()) && !e.name().equals(FLUX_NAMESPACE)) {
            created.add(e.name());
          }
        } else {
          deleted += delete(client, kube, e) ? 1 : 0;
        }
      }
      deleteNamespaces(client, created, deadline);
      namespaces.addAll(created);
      return "deleted the " + deleted + " objects Flux had applied and the namespace" + (namespaces.size() > 1 ? "s " : " ")
          + String.join(", ", namespaces) + " (an existing cluster is not the lab's to throw away; Flux's CRDs stay)";
    } catch (KubernetesClientException e) {
      throw new WorkshopException("could not clear what the lab put into the cluster: " + e.getMessage(),
          "check that the kubeconfig's user may delete namespaces ('kubectl auth can-i delete namespaces')", e);
    }
  }

  private static void deleteNamespaces(KubernetesClient client, List<String> namespaces, long deadline) {
    for (String ns : namespaces) {
      try {
        client.namespaces().withName(ns).delete();
      } catch (KubernetesClientException ex) {
        if (ex.getCode() != 404) {
          throw ex;
        }
      }
    }
    for (String ns : namespaces) {
      await(deadline, "the namespace " + ns, () -> client.namespaces().withName(ns).get() == null,
          "'kubectl get namespace " + ns + " -o yaml' shows what holds it (often a finalizer of an object inside)");
    }
  }

  /** The objects in every Kustomization's inventory. */
  static List<Entry> inventory(KubernetesClient client) {
    List<Entry> entries = new ArrayList<>();
    List<GenericKubernetesResource> kustomizations;
    try {
      kustomizations = client.genericKubernetesResources(KUSTOMIZATIONS).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return entries; // Flux is not installed
      }
      throw e;
    }
    for (GenericKubernetesResource ks : kustomizations) {
      Object list = ks.get("status", "inventory", "entries");
      if (list instanceof Iterable<?> items) {
        for (Object item : items) {
          if (item instanceof Map<?, ?> m) {
            Entry e = Entry.parse(String.valueOf(m.get("id")), String.valueOf(m.get("v")));
            if (e != null) {
              entries.add(e);
            }
          }
        }
      }
    }
    return entries;
  }

  private static boolean delete(KubernetesClient client, Kube kinds, Entry e) {
    var context = kinds.kind(e.apiVersion(), e.kind()).map(KubeKind::context).orElse(null);
    if (context == null) {
      return false;
    }
    var all = client.genericKubernetesResources(context);
    var one = context.isNamespaceScoped() ? all.inNamespace(e.namespace()).withName(e.name()) : all.withName(e.name());
    try {
      return !one.delete().isEmpty();
    } catch (KubernetesClientException ex) {
      if (ex.getCode() == 404) {
        return false;
      }
      throw ex;
    }
  }

  private static void await(long deadline, String what, java.util.function.BooleanSupplier gone, String hint) {
    while (!gone.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new WorkshopException(what + " still there after the time allowed", hint);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkshopException("interrupted while waiting for " + what + " to go", null, e);
      }
    }
  }
}
