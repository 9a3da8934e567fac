package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.ApiKinds;
import dev.gitopsworkshop.cluster.KubeClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the embedded Flux controllers ask of the Kubernetes API, through fabric8 with
 * {@link GenericKubernetesResource}s (as JSON trees, which is how the controllers read them):
 * discovery, get, list, server-side apply (with dry run), status merge patches, deletes, events
 * and watches. Errors carry the server's own message.
 */
public final class FluxApi implements AutoCloseable {
  /** Where objects of one kind live. */
  public record Kind(String apiVersion, String kind, String plural, boolean namespaced) {
    public ResourceDefinitionContext context() {
      int slash = apiVersion.indexOf('/');
      return new ResourceDefinitionContext.Builder()
          .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash)).withVersion(apiVersion.substring(slash + 1))
          .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }
  }

  public static final Kind GIT_REPOSITORY = new Kind("source.toolkit.fluxcd.io/v1", "GitRepository", "gitrepositories", true);
  public static final Kind KUSTOMIZATION = new Kind("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "kustomizations", true);
  public static final Kind SECRET = new Kind("v1", "Secret", "secrets", true);
  public static final Kind EVENT = new Kind("v1", "Event", "events", true);

  /** A request the API server refused: its HTTP code and its message. */
  public static final class ApiError extends RuntimeException {
    public final int code;

    ApiError(KubernetesClientException e) {
      super(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage(), e);
      this.code = e.getCode();
    }
  }

  private final KubernetesClient client;
  private final ApiKinds kinds;

  public FluxApi(KubernetesClient client) {
    this.client = client;
    this.kinds = new ApiKinds(client);
  }

  /** Where objects of {@code apiVersion}/{@code kind} live, asking discovery again for kinds not seen yet (new CRDs). */
  public Optional<Kind> kind(String apiVersion, String kind) {
    try {
      return kinds.find(apiVersion, kind).map(c -> new Kind(apiVersion, kind, c.getPlural(), c.isNamespaceScoped()));
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> in(
      Kind kind, String namespace) {
    var all = client.genericKubernetesResources(kind.context());
    return kind.namespaced() && namespace != null && !namespace.isEmpty() ? all.inNamespace(namespace) : all;
  }

  /** The object, or null when there is none. */
  public JsonNode get(Kind kind, String namespace, String name) {
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

  /** Every object of the kind, in all namespaces. */
  public List<JsonNode> list(Kind kind) {
    try {
      return client.genericKubernetesResources(kind.context()).inAnyNamespace().list().getItems().stream().<JsonNode>map(FluxApi::tree).toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw new ApiError(e);
    }
  }

  /** Server-side apply as {@code manager}, forcing conflicts; {@code dryRun} asks the server to only validate. */
  public JsonNode apply(Kind kind, ObjectNode object, String manager, boolean dryRun) {
    GenericKubernetesResource r = KubeClient.JSON.convertValue(object, GenericKubernetesResource.class);
    try {
      Resource<GenericKubernetesResource> target = in(kind, object.at("/metadata/namespace").asText()).resource(r);
      return tree(target.dryRun(dryRun).fieldManager(manager).forceConflicts().serverSideApply());
    } catch (KubernetesClientException e) {
      throw new ApiError(e);
    }
  }

  /** A JSON merge patch of the status subresource. */
  public void patchStatus(Kind kind, String namespace, String name, ObjectNode patch) {
    try {
      in(kind, namespace).withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), KubeClient.write(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new ApiError(e);
      }
    }
  }

  /** Deletes in the background, as Flux prunes; gone already is fine. */
  public void delete(Kind kind, String namespace, String name) {
    try {
      in(kind, namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new ApiError(e);
      }
    }
  }

  /** Creates the event; returns it as stored. */
  public JsonNode createEvent(ObjectNode event) {
    try {
      return tree(in(EVENT, event.at("/metadata/namespace").asText()).resource(KubeClient.JSON.convertValue(event, GenericKubernetesResource.class)).create());
    } catch (KubernetesClientException e) {
      throw new ApiError(e);
    }
  }

  /** A JSON merge patch of the object itself (metadata, spec); gone already is fine. */
  public void patch(Kind kind, String namespace, String name, ObjectNode patch) {
    try {
      in(kind, namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), KubeClient.write(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new ApiError(e);
      }
    }
  }

  /**
   * Watches a kind in all namespaces, each object to {@code events}, until {@code running} says
   * stop; a watch the server closes (or a kind not served yet) is opened again.
   */
  public AutoCloseable watch(Kind kind, Consumer<JsonNode> events, BooleanSupplier running) {
    Watch[] current = new Watch[1];
    Runnable[] open = new Runnable[1];
    open[0] = () -> {
      long pause = 500;
      while (running.getAsBoolean()) {
        try {
          current[0] = client.genericKubernetesResources(kind.context()).inAnyNamespace()
              .watch(new ListOptionsBuilder().build(), new Watcher<>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource resource) {
                  try {
                    events.accept(tree(resource));
                  } catch (RuntimeException ignored) {
                    // one odd event must not stop the watch
                  }
                }

                @Override
                public void onClose(WatcherException cause) {
                  if (running.getAsBoolean()) {
                    Thread t = new Thread(open[0], "rewatch " + kind.plural());
                    t.setDaemon(true);
                    t.start();
                  }
                }
              });
          return;
        } catch (KubernetesClientException e) {
          try {
            // not served yet: Flux's CRDs are being installed, or this install has no such kind
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 5_000);
          } catch (InterruptedException interrupted) {
            return;
          }
        }
      }
    };
    open[0].run();
    return () -> {
      if (current[0] != null) {
        current[0].close();
      }
    };
  }

  public static ObjectNode tree(GenericKubernetesResource r) {
    return KubeClient.JSON.valueToTree(r);
  }

  @Override
  public void close() {
    client.close();
  }
}
