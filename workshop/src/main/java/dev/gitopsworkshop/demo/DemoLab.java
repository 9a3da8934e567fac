package dev.gitopsworkshop.demo;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.RunningLab;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A running lab as a demo sees it, whatever runs its cluster: lab.json, the cluster through the
 * kubeconfig it names (fabric8), and the lab's control endpoints for what only the lab can do.
 */
public final class DemoLab implements AutoCloseable {
  static final String PODINFO = "podinfo";
  static final String FIRST_STEPS = "scripts/workshop run --auto --to 4";

  private final DataDir dir;
  private final LabFile lab;
  private volatile Kube kube;
  private final LabControlClient control;

  private DemoLab(DataDir dir, LabFile lab) {
    this.dir = dir;
    this.lab = lab;
    this.control = new LabControlClient(lab);
    this.kube = Kube.fromKubeconfig(Path.of(lab.kubeconfig()));
  }

  /** The lab running in this data dir; a clear error when none is. */
  public static DemoLab attach(DataDir dir) {
    LabFile lab = RunningLab.require(dir, "start one with 'scripts/workshop up' in another terminal and do the tutorial up to podinfo ("
        + FIRST_STEPS + "), or point --data-dir at the lab's data directory");
    return new DemoLab(dir, lab);
  }

  DataDir dataDir() {
    return dir;
  }

  LabFile lab() {
    return lab;
  }

  Kube kube() {
    return kube;
  }

  LabControlClient control() {
    return control;
  }

  /** A new client from the kubeconfig file, which a replaced cluster may have rewritten. */
  void reconnect() {
    Kube old = kube;
    kube = Kube.fromKubeconfig(Path.of(lab.kubeconfig()));
    old.close();
  }

  /** Where podinfo is and which Kustomization applies it. */
  record Podinfo(String namespace, String kustomizationNamespace, String kustomization) {
    String ks() {
      return kustomizationNamespace + "/" + kustomization;
    }
  }

  /**
   * podinfo as the tutorial leaves it after step 4: applied by a Kustomization and Available. Says
   * which step to do first otherwise.
   */
  Podinfo requirePodinfoSynced() {
    List<GenericKubernetesResource> kustomizations;
    try {
      kustomizations = kube.client().genericKubernetesResources(Kinds.KUSTOMIZATIONS).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw notSynced("Flux is not installed in this lab's cluster");
      }
      throw unreachable(e);
    }
    for (GenericKubernetesResource ks : kustomizations) {
      JsonNode node = Mappers.JSON.valueToTree(ks);
      for (JsonNode entry : node.at("/status/inventory/entries")) {
        String[] id = entry.path("id").asText().split("_", -1);
        if (id.length == 4 && id[1].equals(PODINFO) && id[2].equals("apps") && id[3].equals("Deployment")) {
          Podinfo p = new Podinfo(id[0], ks.getMetadata().getNamespace(), ks.getMetadata().getName());
          requireAvailable(p);
          return p;
        }
      }
    }
    throw notSynced("podinfo is not synced by Flux yet (no Kustomization has deployment/" + PODINFO + " in its inventory)");
  }

  private void requireAvailable(Podinfo p) {
    JsonNode d = deployment(p.namespace()).orElseThrow(() -> new WorkshopException(
        "deployment/" + PODINFO + " is not in the cluster right now (Flux has not put it back yet?)",
        "wait a moment and see 'scripts/workshop status'"));
    if (!Rollouts.complete(d)) {
      throw new WorkshopException("podinfo is not Available yet (" + Rollouts.describe(d) + ")",
          "wait until it is ('scripts/workshop status'), or run 'scripts/workshop check 4' to see why not");
    }
  }

  Optional<JsonNode> deployment(String namespace) {
    try {
      GenericKubernetesResource d = kube.client().genericKubernetesResources(Kinds.DEPLOYMENTS).inNamespace(namespace).withName(PODINFO).get();
      return Optional.ofNullable(d).map(Mappers.JSON::valueToTree);
    } catch (KubernetesClientException e) {
      throw unreachable(e);
    }
  }

  Optional<JsonNode> kustomization(Podinfo p) {
    GenericKubernetesResource ks = kube.client().genericKubernetesResources(Kinds.KUSTOMIZATIONS)
        .inNamespace(p.kustomizationNamespace()).withName(p.kustomization()).get();
    return Optional.ofNullable(ks).map(Mappers.JSON::valueToTree);
  }

  private static WorkshopException notSynced(String what) {
    return new WorkshopException(what, "do the tutorial up to step 4 first: " + FIRST_STEPS);
  }

  private WorkshopException unreachable(KubernetesClientException e) {
    return new WorkshopException("cannot reach the lab's cluster: " + e.getMessage(),
        "is the lab still running? see 'scripts/workshop status'", e);
  }

  @Override
  public void close() {
    kube.close();
  }
}
