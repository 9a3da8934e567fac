package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.state.LabFile;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running lab looks like right now, read as any client would read it (fabric8, from the
 * lab's kubeconfig; JGit for Git): the cluster, Git's HEAD of main, each Flux object's Ready state
 * and revision, and the Deployments in the namespaces the Kustomizations manage.
 */
public final class LabStatus {
  private static final Logger LOG = LoggerFactory.getLogger(LabStatus.class);
  private record FluxKind(String group, String kind, String plural) {
    ResourceDefinitionContext context() {
      return new ResourceDefinitionContext.Builder()
          .withGroup(group).withVersion("v1").withKind(kind).withPlural(plural).withNamespaced(true).build();
    }
  }

  private static final List<FluxKind> FLUX_KINDS = List.of(
      new FluxKind("source.toolkit.fluxcd.io", "GitRepository", "gitrepositories"),
      new FluxKind("kustomize.toolkit.fluxcd.io", "Kustomization", "kustomizations"),
      new FluxKind("image.toolkit.fluxcd.io", "ImageRepository", "imagerepositories"),
      new FluxKind("image.toolkit.fluxcd.io", "ImagePolicy", "imagepolicies"),
      new FluxKind("image.toolkit.fluxcd.io", "ImageUpdateAutomation", "imageupdateautomations"));

  private LabStatus() {}

  public static ObjectNode read(LabFile lab) {
    try (Kube kube = Kube.fromKubeconfig(Path.of(lab.kubeconfig()))) {
      KubernetesClient client = kube.client();
      try {
        return read(lab, client);
      } catch (KubernetesClientException e) {
        String why = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof java.io.IOException) {
            why = "nothing answers there";
          }
        }
        throw new WorkshopException("cannot reach the lab's cluster at " + client.getMasterUrl() + ": " + why,
            "is the lab still running? start it with 'scripts/workshop up' (or pass the --data-dir it uses)", e);
      }
    }
  }

  static ObjectNode read(LabFile lab, KubernetesClient client) {
    ObjectNode out = Mappers.JSON.createObjectNode();
    String apiUrl = lab.get("cluster", "apiUrl");
    out.putObject("cluster").put("mode", lab.clusterMode()).put("kubeconfig", lab.kubeconfig())
        .put("apiUrl", apiUrl == null || apiUrl.isEmpty() ? client.getMasterUrl().toString() : apiUrl);
    out.putObject("git").put("url", lab.gitUrl()).put("head", head(lab));
    ArrayNode flux = out.putArray("flux");
    TreeSet<String> namespaces = new TreeSet<>();
    boolean installed = false;
    for (FluxKind kind : FLUX_KINDS) {
      List<GenericKubernetesResource> items;
      try {
        items = client.genericKubernetesResources(kind.context()).inAnyNamespace().list().getItems();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue; // this Flux kind is not installed
        }
        throw e;
      }
      installed |= kind.kind().equals("Kustomization");
      for (GenericKubernetesResource o : items) {
        flux.add(fluxObject(kind.kind(), o));
        namespaces.addAll(managedNamespaces(o));
      }
    }
    out.put("operatorInstalled", installed);
    namespaces.remove("");
    if (namespaces.isEmpty()) {
      namespaces.add("default");
    }
    ArrayNode workloads = out.putArray("workloads");
    for (String ns : namespaces) {
      for (Deployment d : client.apps().deployments().inNamespace(ns).list().getItems()) {
        workloads.addObject()
            .put("namespace", ns)
            .put("name", d.getMetadata().getName())
            .put("ready", d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas())
            .put("desired", d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas())
            .put("image", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
      }
    }
    return out;
  }

  private static ObjectNode fluxObject(String kind, GenericKubernetesResource o) {
    ObjectNode item = Mappers.JSON.createObjectNode();
    item.put("kind", kind);
    item.put("namespace", o.getMetadata().getNamespace());
    item.put("name", o.getMetadata().getName());
    Map<?, ?> ready = readyCondition(o);
    item.put("ready", ready == null ? "Unknown" : String.valueOf(ready.get("status")));
    item.put("message", ready == null ? "" : String.valueOf(ready.get("message")).lines().findFirst().orElse(""));
    Object applied = o.get("status", "lastAppliedRevision");
    Object artifact = o.get("status", "artifact", "revision");
    Object tag = o.get("status", "latestRef", "tag");
    Object tags = o.get("status", "lastScanResult", "tagCount");
    Object pushed = o.get("status", "lastPushCommit");
    item.put("revision", applied != null ? applied.toString() : artifact != null ? artifact.toString()
        : tag != null ? "tag " + tag : tags != null ? tags + " tags" : pushed != null ? "pushed " + pushed.toString().substring(0, Math.min(12, pushed.toString().length())) : "");
    return item;
  }

  private static Map<?, ?> readyCondition(GenericKubernetesResource o) {
    if (o.get("status", "conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
          return m;
        }
      }
    }
    return null;
  }

  /** The namespaces of the objects in a Kustomization's inventory. */
  private static List<String> managedNamespaces(GenericKubernetesResource o) {
    TreeSet<String> out = new TreeSet<>();
    if (o.get("status", "inventory", "entries") instanceof List<?> entries) {
      for (Object e : entries) {
        if (e instanceof Map<?, ?> m) {
          NudgeRules.InventoryEntry.parse(String.valueOf(m.get("id")), String.valueOf(m.get("v")))
              .ifPresent(entry -> out.add(entry.namespace()));
        }
      }
    }
    return List.copyOf(out);
  }

  private static String head(LabFile lab) {
    try {
      Collection<Ref> refs = Git.lsRemoteRepository()
          .setRemote(lab.gitUrl())
          .setCredentialsProvider(new UsernamePasswordCredentialsProvider(lab.gitUsername(), lab.gitPassword()))
          .setHeads(true)
          .setTimeout(10)
          .call();
      return refs.stream().filter(r -> r.getName().equals("refs/heads/main")).map(r -> r.getObjectId().name()).findFirst().orElse("");
    } catch (Exception e) {
      LOG.debug("cannot read Git's HEAD at {}", lab.gitUrl(), e);
      return "unreachable: " + e.getMessage();
    }
  }
}
