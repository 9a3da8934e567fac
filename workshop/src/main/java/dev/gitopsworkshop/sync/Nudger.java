package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.cluster.ApiKinds;
import dev.gitopsworkshop.cluster.Fabric8Clients;
import dev.gitopsworkshop.cluster.KubeClient;
import dev.gitopsworkshop.git.PushEvent;
import dev.gitopsworkshop.sync.source.GitReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Makes Flux prompt without lying about it, exactly as {@code flux reconcile} does: it sets
 * {@code reconcile.fluxcd.io/requestedAt} on every GitRepository that follows a pushed ref, and
 * on the Kustomization one of whose objects was deleted or had its spec changed behind Git's back.
 * It only uses the Kubernetes API (fabric8), so it works on real Flux as on the embedded
 * controllers. Disabled ({@code --nudge=off}) it nudges nothing: Flux keeps to its intervals.
 */
public final class Nudger implements AutoCloseable {
  static final ResourceDefinitionContext GIT_REPOSITORIES = context("source.toolkit.fluxcd.io", "GitRepository", "gitrepositories");
  static final ResourceDefinitionContext KUSTOMIZATIONS = context("kustomize.toolkit.fluxcd.io", "Kustomization", "kustomizations");
  static final ResourceDefinitionContext IMAGE_REPOSITORIES = context("image.toolkit.fluxcd.io", "ImageRepository", "imagerepositories");

  private final KubernetesClient client;
  private final ApiKinds kinds;
  private volatile boolean enabled;
  private final Consumer<GenericKubernetesResource> onSynced;
  private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "nudger");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  /** {@code <inventory id>|<kustomization namespace>/<name>} */
  private final Set<String> owners = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private AutoCloseable owned;

  /**
   * @param client the cluster, as the participant's kubectl sees it
   * @param enabled false for {@code --nudge=off}: nothing is nudged
   * @param onSynced told of every Kustomization that reports an applied revision, nudges or not
   */
  public Nudger(KubernetesClient client, boolean enabled, Consumer<GenericKubernetesResource> onSynced) {
    this.client = client;
    this.kinds = new ApiKinds(client);
    this.enabled = enabled;
    this.onSynced = onSynced;
    follow("kustomizations", null, KUSTOMIZATIONS, this::kustomizationChanged);
  }

  /** A Nudger with its own client for the cluster of this kubeconfig, closed with it. */
  public static Nudger forKubeconfig(java.nio.file.Path kubeconfig, boolean enabled, Consumer<GenericKubernetesResource> onSynced) {
    KubernetesClient client = Fabric8Clients.fromKubeconfig(kubeconfig);
    Nudger nudger = new Nudger(client, enabled, onSynced);
    nudger.owned = client;
    return nudger;
  }

  private static ResourceDefinitionContext context(String group, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion("v1").withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  /** Whether it nudges now ({@code --nudge}); an instructor's demo may switch it for a while. */
  public boolean enabled() {
    return enabled;
  }

  /** Switches nudging on or off from now on (the lab's control endpoint, for {@code demo drift --nudge off}). */
  public void enabled(boolean on) {
    this.enabled = on;
  }

  /** A push happened: ask the GitRepositories following that repository and branch to fetch now. */
  public void pushed(PushEvent event) {
    if (!enabled || closed) {
      return;
    }
    work.submit(() -> {
      for (GenericKubernetesResource repo : client.genericKubernetesResources(GIT_REPOSITORIES).inAnyNamespace().list().getItems()) {
        Map<String, Object> spec = repo.get("spec");
        if (spec != null && NudgeRules.followsPush(String.valueOf(spec.get("url")),
            GitReference.of(KubeClient.JSON.valueToTree(spec.getOrDefault("ref", Map.of()))), event)) {
          request(GIT_REPOSITORIES, repo.getMetadata().getNamespace(), repo.getMetadata().getName());
        }
      }
      return null;
    });
  }

  /**
   * A tag was published to the lab's registry: ask the ImageRepositories of that repository to
   * scan now, as {@code flux reconcile image repository} does.
   */
  public void imagePublished(String repository, String tag) {
    if (!enabled || closed) {
      return;
    }
    work.submit(() -> {
      for (GenericKubernetesResource repo : client.genericKubernetesResources(IMAGE_REPOSITORIES).inAnyNamespace().list().getItems()) {
        Object image = repo.get("spec", "image");
        if (image != null && (image.toString().equals(repository) || image.toString().endsWith("/" + repository))) {
          request(IMAGE_REPOSITORIES, repo.getMetadata().getNamespace(), repo.getMetadata().getName());
        }
      }
      return null;
    });
  }

  /** Learns each Kustomization's inventory and watches the kinds in it for drift. */
  private void kustomizationChanged(Watcher.Action action, GenericKubernetesResource ks) {
    if (action == Watcher.Action.DELETED) {
      return;
    }
    if (ks.get("status", "lastAppliedRevision") != null) {
      onSynced.accept(ks);
    }
    // inventories are followed even while disabled, so that enabling it later sees drift at once
    String owner = ks.getMetadata().getNamespace() + "/" + ks.getMetadata().getName();
    Object entries = ks.get("status", "inventory", "entries");
    if (!(entries instanceof Iterable<?> list)) {
      return;
    }
    for (Object e : list) {
      if (e instanceof Map<?, ?> entry) {
        NudgeRules.InventoryEntry.parse(String.valueOf(entry.get("id")), String.valueOf(entry.get("v"))).ifPresent(inv -> {
          owners.add(inv.id() + "|" + owner);
          // from the Kustomization's own resourceVersion: a deletion right after the apply is not missed
          follow(inv.apiVersion() + "/" + inv.kind(), ks.getMetadata().getResourceVersion(),
              kindContext(inv), (a, obj) -> objectChanged(a, obj, inv.group(), inv.kind()));
        });
      }
    }
  }

  private ResourceDefinitionContext kindContext(NudgeRules.InventoryEntry inv) {
    try {
      return kinds.find(inv.apiVersion(), inv.kind()).orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void objectChanged(Watcher.Action action, GenericKubernetesResource obj, String group, String kind) {
    String uid = obj.getMetadata().getUid();
    long generation = obj.getMetadata().getGeneration() == null ? 0 : obj.getMetadata().getGeneration();
    Long previous = action == Watcher.Action.DELETED ? generations.remove(uid) : generations.put(uid, generation);
    if (!enabled || !NudgeRules.isDrift(action.name(), previous, generation)) {
      return;
    }
    String id = NudgeRules.InventoryEntry.id(obj.getMetadata().getNamespace(), obj.getMetadata().getName(), group, kind);
    for (String entry : Set.copyOf(owners)) {
      if (entry.startsWith(id + "|")) {
        String ks = entry.substring(entry.indexOf('|') + 1);
        work.submit(() -> request(KUSTOMIZATIONS, ks.substring(0, ks.indexOf('/')), ks.substring(ks.indexOf('/') + 1)));
      }
    }
  }

  /** What {@code flux reconcile} does: a new requestedAt value (RFC 3339 with nanoseconds). */
  private void request(ResourceDefinitionContext type, String namespace, String name) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    String patch = "{\"metadata\":{\"annotations\":{\"" + FluxStatus.REQUESTED_AT + "\":\"" + now + "\"}}}";
    try {
      client.genericKubernetesResources(type).inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException ignored) {
      // the object went away meanwhile
    }
  }

  private interface Handler {
    void on(Watcher.Action action, GenericKubernetesResource obj);
  }

  /** One watch per kind, across namespaces; re-opened when the server closes it. */
  private void follow(String key, String since, ResourceDefinitionContext type, Handler handler) {
    if (type == null || closed || watches.containsKey(key)) {
      return;
    }
    if (!served(type)) {
      // a watch opened on a kind not served yet (Flux not installed) is retried by fabric8 itself with
      // a growing back-off, up to half a minute: the nudges would start that late after step 1
      retry(key, type, handler);
      return;
    }
    Watcher<GenericKubernetesResource> watcher = new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        try {
          handler.on(action, resource);
        } catch (RuntimeException ignored) {
          // one odd object must not stop the watch
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        retry(key, type, handler);
      }
    };
    try {
      var options = new ListOptionsBuilder().withResourceVersion(since).build();
      watches.put(key, client.genericKubernetesResources(type).inAnyNamespace().watch(options, watcher));
    } catch (KubernetesClientException e) {
      // the kind is not served yet (Flux not installed): try again shortly
      retry(key, type, handler);
    }
  }

  private boolean served(ResourceDefinitionContext type) {
    String apiVersion = type.getGroup() == null || type.getGroup().isEmpty() ? type.getVersion() : type.getGroup() + "/" + type.getVersion();
    try {
      return kinds.find(apiVersion, type.getKind()).isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void retry(String key, ResourceDefinitionContext type, Handler handler) {
    watches.remove(key);
    if (!closed) {
      work.schedule(() -> follow(key, null, type, handler), 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    closed = true;
    watches.values().forEach(Watch::close);
    watches.clear();
    work.shutdownNow();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception ignored) {
        // closing anyway
      }
    }
  }
}
