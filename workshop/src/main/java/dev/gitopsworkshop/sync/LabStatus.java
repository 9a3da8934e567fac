package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.KubeClient;
import dev.gitopsworkshop.lab.LabFile;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * What a running lab looks like right now, read as any client would read it: the cluster, Git's
 * HEAD of main, each Flux object's Ready state and revision, and the workloads Flux manages.
 */
public final class LabStatus {
  private static final List<String[]> FLUX_KINDS = List.of(
      new String[] {"source.toolkit.fluxcd.io/v1", "GitRepository"},
      new String[] {"kustomize.toolkit.fluxcd.io/v1", "Kustomization"},
      new String[] {"image.toolkit.fluxcd.io/v1", "ImageRepository"},
      new String[] {"image.toolkit.fluxcd.io/v1", "ImagePolicy"},
      new String[] {"image.toolkit.fluxcd.io/v1", "ImageUpdateAutomation"});

  private LabStatus() {}

  public static ObjectNode read(LabFile lab) {
    ObjectNode out = KubeClient.JSON.createObjectNode();
    out.putObject("cluster").put("mode", lab.clusterMode()).put("kubeconfig", lab.kubeconfig())
        .put("apiUrl", lab.get("cluster", "apiUrl"));
    ObjectNode git = out.putObject("git");
    git.put("url", lab.gitUrl());
    git.put("head", head(lab));
    KubeClient kube = KubeClient.fromKubeconfig(Path.of(lab.kubeconfig()));
    out.put("operatorInstalled", kube.resource("kustomize.toolkit.fluxcd.io/v1", "Kustomization").isPresent());
    ArrayNode flux = out.putArray("flux");
    TreeSet<String> namespaces = new TreeSet<>();
    for (String[] kind : FLUX_KINDS) {
      kube.resource(kind[0], kind[1]).ifPresent(r -> {
        JsonNode list = kube.getOrNull(r.path(null, null));
        for (JsonNode o : list == null ? List.<JsonNode>of() : iterable(list.path("items"))) {
          ObjectNode item = flux.addObject();
          item.put("kind", kind[1]);
          item.put("namespace", o.at("/metadata/namespace").asText());
          item.put("name", o.at("/metadata/name").asText());
          JsonNode ready = condition(o, "Ready");
          item.put("ready", ready.path("status").asText("Unknown"));
          item.put("message", ready.path("message").asText(""));
          String revision = o.at("/status/lastAppliedRevision").asText(o.at("/status/artifact/revision").asText(""));
          item.put("revision", revision);
          for (JsonNode e : o.at("/status/inventory/entries")) {
            namespaces.add(e.path("id").asText().split("_", 2)[0]);
          }
        }
      });
    }
    namespaces.remove("");
    if (namespaces.isEmpty()) {
      namespaces.add("default");
    }
    ArrayNode workloads = out.putArray("workloads");
    for (String ns : namespaces) {
      JsonNode list = kube.getOrNull("/apis/apps/v1/namespaces/" + ns + "/deployments");
      for (JsonNode d : list == null ? List.<JsonNode>of() : iterable(list.path("items"))) {
        workloads.addObject()
            .put("namespace", ns)
            .put("name", d.at("/metadata/name").asText())
            .put("ready", d.at("/status/readyReplicas").asInt(0))
            .put("desired", d.at("/spec/replicas").asInt(1))
            .put("image", d.at("/spec/template/spec/containers/0/image").asText(""));
      }
    }
    return out;
  }

  private static Collection<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static JsonNode condition(JsonNode o, String type) {
    for (JsonNode c : o.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return KubeClient.JSON.createObjectNode();
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
      return "unreachable: " + e.getMessage();
    }
  }
}
