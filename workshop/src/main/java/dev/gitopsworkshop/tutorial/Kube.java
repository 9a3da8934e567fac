package dev.gitopsworkshop.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.ApiKinds;
import dev.gitopsworkshop.cluster.Fabric8Clients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The tutorial's door to the cluster: a fabric8 client from the kubeconfig lab.json names (any
 * cluster that kubeconfig reaches, whatever authentication it uses), objects by apiVersion and
 * kind as JSON. Kinds are looked up in the API's discovery, so kinds added by a CRD work once the
 * CRD is served.
 */
public final class Kube implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIELD_MANAGER = "kubectl";
  private final KubernetesClient client;
  private final ApiKinds kinds;

  Kube(KubernetesClient client) {
    this.client = client;
    this.kinds = new ApiKinds(client);
  }

  /** A client for the kubeconfig's current context; watches over plain HTTP streaming, as kubectl's. */
  public static Kube fromKubeconfig(Path kubeconfig) {
    return new Kube(Fabric8Clients.fromKubeconfig(kubeconfig));
  }

  /** Whether the cluster serves this kind now. */
  public boolean knows(String apiVersion, String kind) {
    return context(apiVersion, kind).isPresent();
  }

  /** The object, or empty when it (or its kind) does not exist. {@code namespace} is ignored for cluster-wide kinds. */
  public Optional<JsonNode> get(String apiVersion, String kind, String namespace, String name) {
    Optional<ResourceDefinitionContext> ctx = context(apiVersion, kind);
    if (ctx.isEmpty()) {
      return Optional.empty();
    }
    GenericKubernetesResource o = scoped(ctx.get(), namespace).withName(name).get();
    return Optional.ofNullable(o).map(JSON::valueToTree);
  }

  /** Objects of a kind in a namespace matching a label selector ({@code app=podinfo}); empty if the kind is unknown. */
  public List<JsonNode> list(String apiVersion, String kind, String namespace, String labelSelector) {
    Optional<ResourceDefinitionContext> ctx = context(apiVersion, kind);
    List<JsonNode> out = new ArrayList<>();
    if (ctx.isPresent()) {
      scoped(ctx.get(), namespace).list(new ListOptionsBuilder().withLabelSelector(labelSelector).build())
          .getItems().forEach(o -> out.add(JSON.valueToTree(o)));
    }
    return out;
  }

  /** Server-side apply with kubectl's field manager, taking over fields others own (as {@code kubectl apply --server-side --force-conflicts}). */
  public void apply(ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    ResourceDefinitionContext ctx = context(apiVersion, kind).orElseThrow(() -> new WorkshopException(
        "the cluster has no kind " + kind + " (" + apiVersion + ")", "install what defines it first"));
    GenericKubernetesResource resource = JSON.convertValue(object, GenericKubernetesResource.class);
    String namespace = ctx.isNamespaceScoped() ? object.at("/metadata/namespace").asText("default") : null;
    scoped(ctx, namespace).resource(resource).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Deletes an object; one already gone (or of a kind no longer served) is fine. */
  public void delete(String apiVersion, String kind, String namespace, String name) {
    Optional<ResourceDefinitionContext> ctx = context(apiVersion, kind);
    if (ctx.isPresent()) {
      scoped(ctx.get(), namespace).withName(name).delete();
    }
  }

  /**
   * Calls {@code events} with the event type (ADDED, MODIFIED, DELETED) for every change to
   * objects of the kind, in all namespaces, until closed; reopened when the server ends it.
   * Empty when the cluster does not serve the kind (yet).
   */
  public Optional<AutoCloseable> watch(String apiVersion, String kind, Consumer<String> events) {
    Optional<ResourceDefinitionContext> ctx = context(apiVersion, kind);
    return ctx.map(c -> new Rewatch(c, events));
  }

  private final class Rewatch implements AutoCloseable {
    private final ResourceDefinitionContext ctx;
    private final Consumer<String> events;
    private volatile Watch current;
    private volatile boolean closed;

    Rewatch(ResourceDefinitionContext ctx, Consumer<String> events) {
      this.ctx = ctx;
      this.events = events;
      open();
    }

    private void open() {
      if (closed) {
        return;
      }
      current = client.genericKubernetesResources(ctx).inAnyNamespace().watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource resource) {
          events.accept(action.name());
        }

        @Override
        public void onClose(WatcherException cause) {
          open();
        }
      });
    }

    @Override
    public void close() {
      closed = true;
      Watch w = current;
      if (w != null) {
        w.close();
      }
    }
  }

  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> kindOf(
      ResourceDefinitionContext ctx) {
    return client.genericKubernetesResources(ctx);
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> scoped(ResourceDefinitionContext ctx, String namespace) {
    return ctx.isNamespaceScoped() ? kindOf(ctx).inNamespace(namespace == null ? "default" : namespace) : kindOf(ctx);
  }

  /** What discovery says about a kind; looked up again until found (a CRD may come later). */
  private Optional<ResourceDefinitionContext> context(String apiVersion, String kind) {
    return kinds.find(apiVersion, kind);
  }

  @Override
  public void close() {
    client.close();
  }
}
