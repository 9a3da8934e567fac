package dev.gitopsworkshop.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.WorkshopException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's one door to a Kubernetes API, for the embedded Flux controllers, the nudges, the
 * tutorial, the demos and the projector: a fabric8 client (from a kubeconfig, whatever it
 * authenticates with, or as a controller in a pod gets one) with objects as JSON trees, kinds
 * looked up in discovery (a CRD's kind works once it is served), and watches through
 * {@link KubeWatch}. Errors carry the server's own message ({@link ApiError}).
 */
public final class Kube implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Kube.class);
  /** The field manager of the tutorial's own applies: the participant's kubectl. */
  public static final String KUBECTL = "kubectl";

  /** A request the API server refused: its HTTP code (0: no answer) and its message. */
  public static final class ApiError extends RuntimeException {
    public final int code;

    ApiError(KubernetesClientException e) {
      super(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage(), e);
      this.code = e.getCode();
    }

    public int code() {
      return code;
    }
  }

  private final KubernetesClient client;
  private final ApiKinds kinds;
  private final ScheduledExecutorService watchRetries;

  private Kube(KubernetesClient client) {
    this.client = client;
    this.kinds = new ApiKinds(client);
    this.watchRetries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kube-watches");
      t.setDaemon(true);
      return t;
    });
  }

  /** The cluster of a kubeconfig's current context. */
  public static Kube fromKubeconfig(Path kubeconfig) {
    return new Kube(Clients.fromKubeconfig(kubeconfig));
  }

  /** The cluster as a controller in a pod sees it: the API's URL, a service account token, the CA. */
  public static Kube forEmbedded(String apiUrl, String token, String caPem) {
    return new Kube(Clients.forEmbedded(apiUrl, token, caPem));
  }

  /** Over a client someone else made; closing this closes it. */
  public static Kube of(KubernetesClient client) {
    return new Kube(client);
  }

  /** The fabric8 client underneath, for typed models (Deployments, rollout history). */
  public KubernetesClient client() {
    return client;
  }

  ScheduledExecutorService watchRetries() {
    return watchRetries;
  }

  // ---------------------------------------------------------------- kinds

  /** Where objects of {@code apiVersion}/{@code kind} live; empty while the cluster does not serve it. */
  public Optional<KubeKind> kind(String apiVersion, String kind) {
    try {
      return kinds.find(apiVersion, kind);
    } catch (KubernetesClientException e) {
      throw new ApiError(e);
    }
  }

  /**
   * Runs {@code look} (one look at the cluster, such as a round of checks) with each kind the
   * cluster does not serve asked about once per client, on this thread.
   */
  public static <T> T oneLook(java.util.function.Supplier<T> look) {
    return ApiKinds.oneLook(look);
  }

  /** Whether the cluster serves this kind now. */
  public boolean knows(String apiVersion, String kind) {
    return kind(apiVersion, kind).isPresent();
  }

  /** The kind is no longer served (its CRD went): look it up again next time. */
  void forget(KubeKind kind) {
    kinds.forget(kind);
  }

  // ---------------------------------------------------------------- verbs by kind

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> in(
      KubeKind kind, String namespace) {
    var all = client.genericKubernetesResources(kind.context());
    return kind.namespaced() && namespace != null && !namespace.isEmpty() ? all.inNamespace(namespace) : all;
  }

  /** The object, or null when there is none. */
  public JsonNode get(KubeKind kind, String namespace, String name) {
    try {
      GenericKubernetesResource r = in(kind, namespace).withName(name).get();
      return r == null ? null : tree(r);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new ApiError(e);
    }
  }

  /** Every object of the kind, in all namespaces (none when the kind is not served). */
  public List<JsonNode> list(KubeKind kind) {
    try {
      return client.genericKubernetesResources(kind.context()).inAnyNamespace().list().getItems().stream().<JsonNode>map(Kube::tree).toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw new ApiError(e);
    }
  }

  /** Objects of the kind in a namespace (null: all) matching a label selector (null: all). */
  public List<JsonNode> list(KubeKind kind, String namespace, String labelSelector) {
    try {
      var op = kind.namespaced() && namespace != null ? client.genericKubernetesResources(kind.context()).inNamespace(namespace)
          : client.genericKubernetesResources(kind.context()).inAnyNamespace();
      return op.list(new ListOptionsBuilder().withLabelSelector(labelSelector).build()).getItems().stream().<JsonNode>map(Kube::tree).toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw new ApiError(e);
    }
  }

  /** Server-side apply as {@code manager}, forcing conflicts; {@code dryRun} asks the server to only validate. */
  public JsonNode apply(KubeKind kind, ObjectNode object, String manager, boolean dryRun) {
    GenericKubernetesResource r = Mappers.JSON.convertValue(object, GenericKubernetesResource.class);
    try {
      Resource<GenericKubernetesResource> target = in(kind, object.at("/metadata/namespace").asText()).resource(r);
      return tree(target.dryRun(dryRun).fieldManager(manager).forceConflicts().serverSideApply());
    } catch (KubernetesClientException e) {
      throw new ApiError(e);
    }
  }

  /** A JSON merge patch of the status subresource; gone already is fine. */
  public void patchStatus(KubeKind kind, String namespace, String name, ObjectNode patch) {
    try {
      in(kind, namespace).withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Mappers.write(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new ApiError(e);
      }
    }
  }

  /** A JSON merge patch of the object itself (metadata, spec); gone already is fine. */
  public void patch(KubeKind kind, String namespace, String name, ObjectNode patch) {
    try {
      in(kind, namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), Mappers.write(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new ApiError(e);
      }
    }
  }

  /** Creates the object; returns it as stored. */
  public JsonNode create(KubeKind kind, ObjectNode object) {
    try {
      return tree(in(kind, object.at("/metadata/namespace").asText()).resource(Mappers.JSON.convertValue(object, GenericKubernetesResource.class))
          .create());
    } catch (KubernetesClientException e) {
      throw new ApiError(e);
    }
  }

  /** Deletes in the background (as Flux prunes and kubectl deletes); gone already is fine. */
  public void delete(KubeKind kind, String namespace, String name) {
    try {
      in(kind, namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new ApiError(e);
      }
    }
  }

  // ---------------------------------------------------------------- verbs by apiVersion and kind

  /** The object, or empty when it (or its kind) does not exist; the namespace defaults to {@code default}. */
  public Optional<JsonNode> find(String apiVersion, String kind, String namespace, String name) {
    return kind(apiVersion, kind).map(k -> get(k, orDefault(k, namespace), name));
  }

  /** Objects of a kind in a namespace ({@code default} when null) matching a label selector; none when the kind is unknown. */
  public List<JsonNode> list(String apiVersion, String kind, String namespace, String labelSelector) {
    return kind(apiVersion, kind).map(k -> list(k, orDefault(k, namespace), labelSelector)).orElse(List.of());
  }

  /**
   * What {@code kubectl apply --server-side --force-conflicts} does, as kubectl's field manager
   * (the namespace defaults to {@code default}); a clear error when the cluster has no such kind.
   */
  public void apply(ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    KubeKind k = kind(apiVersion, kind).orElseThrow(() -> new WorkshopException(
        "the cluster has no kind " + kind + " (" + apiVersion + ")", "install what defines it first"));
    ObjectNode copy = object.deepCopy();
    if (k.namespaced() && copy.at("/metadata/namespace").asText("").isEmpty()) {
      copy.with("metadata").put("namespace", "default");
    }
    apply(k, copy, KUBECTL, false);
  }

  /** Deletes an object; one already gone (or of a kind no longer served) is fine. */
  public void delete(String apiVersion, String kind, String namespace, String name) {
    kind(apiVersion, kind).ifPresent(k -> delete(k, orDefault(k, namespace), name));
  }

  /**
   * Calls {@code events} with the event type (ADDED, MODIFIED, DELETED) of every change to objects
   * of the kind, in all namespaces, until closed. Empty when the cluster does not serve the kind (yet).
   */
  public Optional<AutoCloseable> watch(String apiVersion, String kind, Consumer<String> events) {
    if (!knows(apiVersion, kind)) {
      return Optional.empty();
    }
    try {
      return Optional.of(KubeWatch.of(this, apiVersion, kind).listener((type, o) -> {
        if (type != KubeWatch.Type.LISTED) {
          events.accept(type.name());
        }
      }).open());
    } catch (ApiError e) {
      if (e.code() != 404) {
        throw e;
      }
      // discovery still knew a kind whose CRD was just deleted (a reset undid step 1): not served
      LOG.debug("{} {} is no longer served: {}", apiVersion, kind, e.getMessage());
      return Optional.empty();
    }
  }

  private static String orDefault(KubeKind kind, String namespace) {
    return kind.namespaced() ? (namespace == null || namespace.isEmpty() ? "default" : namespace) : null;
  }

  public static ObjectNode tree(GenericKubernetesResource r) {
    return Mappers.JSON.valueToTree(r);
  }

  @Override
  public void close() {
    watchRetries.shutdownNow();
    client.close();
  }
}
