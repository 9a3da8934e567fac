package dev.gitopsworkshop.cluster;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.kube.Clients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An existing cluster (kind, k3d, minikube, a cloud one) from the user's kubeconfig: the chosen
 * context is written, with only its cluster and user, into the data dir's kubeconfig, so that every
 * lab command and the participant's kubectl use the same one. The lab does not own it: closing
 * leaves it as it is.
 */
public final class KubeconfigCluster implements Cluster {
  private static final List<String> FILE_FIELDS = List.of("certificate-authority", "client-certificate", "client-key", "tokenFile");
  private final Path kubeconfig;
  private final String apiUrl;
  private final String gitAdvertiseUrl;

  private KubeconfigCluster(Path kubeconfig, String apiUrl, String gitAdvertiseUrl) {
    this.kubeconfig = kubeconfig;
    this.apiUrl = apiUrl;
    this.gitAdvertiseUrl = gitAdvertiseUrl;
  }

  /**
   * @param context null: the kubeconfig's current context
   * @param gitAdvertiseUrl the Git server's base URL as the cluster reaches it; null: the host's own
   */
  public static KubeconfigCluster connect(DataDir dir, Path source, String context, String gitAdvertiseUrl) {
    Chosen chosen = choose(source, context, gitAdvertiseUrl);
    String name = chosen.name();
    JsonNode ctx = chosen.context();
    JsonNode cluster = chosen.cluster();
    JsonNode user = chosen.user();
    ObjectNode minimal = YAML.createObjectNode();
    minimal.put("apiVersion", "v1").put("kind", "Config").put("current-context", name);
    minimal.putArray("clusters").add(absolutePaths(cluster.deepCopy(), source));
    ArrayNode users = minimal.putArray("users");
    if (user != null) {
      users.add(absolutePaths(user.deepCopy(), source));
    }
    minimal.putArray("contexts").add(ctx.deepCopy());
    Path target = dir.kubeconfig();
    try {
      DataDir.writeAtomically(target, YAML.writeValueAsString(minimal), true);
    } catch (IOException e) {
      throw new WorkshopException("cannot write " + target + ": " + e.getMessage(), "check the data dir", e);
    }
    String server = cluster.at("/cluster/server").asText();
    probe(target, server, name, source);
    return new KubeconfigCluster(target, server, gitAdvertiseUrl);
  }

  private static final YAMLMapper YAML = Mappers.YAML;

  private record Chosen(String name, JsonNode context, JsonNode cluster, JsonNode user) {}

  /** Checks the options before anything starts: the kubeconfig readable, the context in it, the URL well formed. */
  public static void check(Path source, String context, String gitAdvertiseUrl) {
    choose(source, context, gitAdvertiseUrl);
  }

  private static Chosen choose(Path source, String context, String gitAdvertiseUrl) {
    if (gitAdvertiseUrl != null) {
      checkAdvertiseUrl(gitAdvertiseUrl);
    }
    JsonNode config = read(source);
    String name = context != null ? context : config.path("current-context").asText("");
    if (name.isEmpty()) {
      throw WorkshopException.usage("the kubeconfig " + source + " has no current context",
          "choose one with --context (it has: " + String.join(", ", names(config.path("contexts"))) + ")");
    }
    JsonNode ctx = named(config.path("contexts"), name);
    if (ctx == null) {
      throw WorkshopException.usage("the kubeconfig " + source + " has no context '" + name + "'",
          "choose one of: " + String.join(", ", names(config.path("contexts"))) + " (kubectl config get-contexts)");
    }
    JsonNode cluster = named(config.path("clusters"), ctx.at("/context/cluster").asText());
    if (cluster == null || cluster.at("/cluster/server").asText("").isEmpty()) {
      throw WorkshopException.usage("the context '" + name + "' in " + source + " names no cluster with a server",
          "check the kubeconfig (kubectl config view), or choose another --context");
    }
    return new Chosen(name, ctx, cluster, named(config.path("users"), ctx.at("/context/user").asText()));
  }

  private static JsonNode read(Path source) {
    if (!Files.exists(source)) {
      throw WorkshopException.usage("the kubeconfig " + source + " does not exist",
          "give your cluster's kubeconfig with --kubeconfig (kind, k3d and minikube write ~/.kube/config)");
    }
    try {
      JsonNode config = YAML.readTree(Files.readString(source));
      if (config == null || !config.isObject() || !config.has("contexts") && !config.has("clusters")) {
        throw WorkshopException.usage("the file " + source + " is not a kubeconfig (it has no clusters or contexts)",
            "give your cluster's kubeconfig with --kubeconfig");
      }
      return config;
    } catch (AccessDeniedException e) {
      throw WorkshopException.usage("the kubeconfig " + source + " cannot be read (permission denied)",
          "check its permissions, or copy it somewhere you can read it");
    } catch (IOException e) {
      throw WorkshopException.usage("the kubeconfig " + source + " cannot be read: " + e.getMessage().lines().findFirst().orElse(""),
          "give your cluster's kubeconfig with --kubeconfig");
    }
  }

  private static void checkAdvertiseUrl(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (Exception e) {
      throw WorkshopException.usage("--git-advertise-url " + url + " is not an http(s) URL with a host",
          "give the Git server's address as the cluster reaches it, e.g. http://host.docker.internal:PORT");
    }
  }

  /** One line naming the server when the cluster does not answer. */
  private static void probe(Path kubeconfig, String server, String context, Path source) {
    try (KubernetesClient client = Clients.fromKubeconfig(kubeconfig)) {
      client.getKubernetesVersion();
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
      throw new WorkshopException("the cluster at " + server + " (context '" + context + "' in " + source + ") does not answer: " + why,
          "start it, or check it with 'kubectl --kubeconfig " + source + " get nodes'; or use --cluster embedded");
    }
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (name.equals(n.path("name").asText())) {
        return n;
      }
    }
    return null;
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.forEach(n -> names.add(n.path("name").asText()));
    return names;
  }

  /** Relative file paths in a kubeconfig are relative to the kubeconfig's folder: made absolute for the copy. */
  private static JsonNode absolutePaths(JsonNode entry, Path source) {
    Path base = source.toAbsolutePath().getParent();
    for (String section : List.of("cluster", "user")) {
      JsonNode body = entry.path(section);
      if (body instanceof ObjectNode o) {
        for (String field : FILE_FIELDS) {
          if (o.hasNonNull(field)) {
            o.put(field, base.resolve(o.get(field).asText()).normalize().toString());
          }
        }
      }
    }
    return entry;
  }

  @Override
  public ClusterMode mode() {
    return ClusterMode.KUBECONFIG;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public String apiUrl() {
    return apiUrl;
  }

  /** The host's URL, or the same path on {@code --git-advertise-url}. */
  @Override
  public String reachableFromCluster(String hostUrl) {
    if (gitAdvertiseUrl == null) {
      return hostUrl;
    }
    URI host = URI.create(hostUrl);
    return gitAdvertiseUrl.replaceAll("/+$", "") + host.getRawPath();
  }

  /**
   * Not the lab's cluster, so not thrown away: with {@code mayDeleteNamespaces}, what the lab put
   * there goes (the operator's namespace and what Flux applied), which is as close to a lost
   * cluster as someone else's cluster allows.
   */
  @Override
  public String replace(boolean mayDeleteNamespaces) {
    if (!mayDeleteNamespaces) {
      throw WorkshopException.usage("this lab runs on an existing cluster, which the disaster demo does not throw away; it would delete"
              + " the namespace flux-system and every object Flux applied from the workshop repository",
          "if that is fine on this cluster, run it again with --yes-delete-namespace; or use an embedded lab (scripts/workshop up --cluster embedded)");
    }
    return LabFootprint.remove(kubeconfig, java.time.Duration.ofMinutes(2));
  }

  /** Not the lab's cluster: it stays as it is. */
  @Override
  public void close() {}
}
