package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.git.PushEvent;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import dev.gitopsworkshop.kube.KubeWatch;
import dev.gitopsworkshop.sync.source.GitReference;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Flux prompt without lying about it, exactly as {@code flux reconcile} does: it sets
 * {@code reconcile.fluxcd.io/requestedAt} on every GitRepository that follows a pushed ref, and
 * on the Kustomization one of whose objects was deleted or had its spec changed behind Git's back,
 * and on a Kustomization waiting for a dependency ({@code DependencyNotReady}) once that dependency
 * is Ready (Flux itself would look again after its 30 s {@code --requeue-dependency}). It only uses
 * the Kubernetes API, so it works on real Flux as on the embedded controllers.
 * Disabled ({@code --nudge=off}) it nudges nothing: Flux keeps to its intervals.
 */
public final class Nudger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Nudger.class);
  static final KubeKind GIT_REPOSITORIES = KubeKind.namespaced("source.toolkit.fluxcd.io/v1", "GitRepository", "gitrepositories");
  static final KubeKind KUSTOMIZATIONS = KubeKind.namespaced("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "kustomizations");
  static final KubeKind IMAGE_REPOSITORIES = KubeKind.namespaced("image.toolkit.fluxcd.io/v1", "ImageRepository", "imagerepositories");

  private final Kube kube;
  private volatile boolean enabled;
  private final Consumer<JsonNode> onSynced;
  private final ExecutorService work = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "nudger");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, KubeWatch> watches = new ConcurrentHashMap<>();
  /** {@code <inventory id>|<kustomization namespace>/<name>} */
  private final Set<String> owners = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  /** {@code namespace/name} of a dependency -> the Kustomizations waiting for it. */
  private final Map<String, Set<String>> waitingFor = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private AutoCloseable owned;

  /**
   * @param kube the cluster, as the participant's kubectl sees it
   * @param enabled false for {@code --nudge=off}: nothing is nudged
   * @param onSynced told of every Kustomization that reports an applied revision, nudges or not
   */
  public Nudger(Kube kube, boolean enabled, Consumer<JsonNode> onSynced) {
    this.kube = kube;
    this.enabled = enabled;
    this.onSynced = onSynced;
    follow(KUSTOMIZATIONS.apiVersion() + "/" + KUSTOMIZATIONS.kind(), null, KUSTOMIZATIONS.apiVersion(), KUSTOMIZATIONS.kind(),
        this::kustomizationChanged);
  }

  /** A Nudger with its own client for the cluster of this kubeconfig, closed with it. */
  public static Nudger forKubeconfig(java.nio.file.Path kubeconfig, boolean enabled, Consumer<JsonNode> onSynced) {
    Kube kube = Kube.fromKubeconfig(kubeconfig);
    Nudger nudger = new Nudger(kube, enabled, onSynced);
    nudger.owned = kube;
    return nudger;
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
    submit("the push to " + event, () -> {
      for (JsonNode repo : kube.list(GIT_REPOSITORIES)) {
        if (repo.has("spec") && NudgeRules.followsPush(repo.at("/spec/url").asText("null"), GitReference.of(repo.at("/spec/ref")), event)) {
          request(GIT_REPOSITORIES, repo.at("/metadata/namespace").asText(), repo.at("/metadata/name").asText());
        }
      }
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
    submit("the new tag " + repository + ":" + tag, () -> {
      for (JsonNode repo : kube.list(IMAGE_REPOSITORIES)) {
        String image = repo.at("/spec/image").asText(null);
        if (image != null && (image.equals(repository) || image.endsWith("/" + repository))) {
          request(IMAGE_REPOSITORIES, repo.at("/metadata/namespace").asText(), repo.at("/metadata/name").asText());
        }
      }
    });
  }

  private void submit(String what, Runnable task) {
    try {
      work.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("cannot nudge Flux after {}", what, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("not nudging after {}: closing", what);
    }
  }

  /** Learns each Kustomization's inventory and watches the kinds in it for drift. */
  private void kustomizationChanged(KubeWatch.Type type, ObjectNode ks) {
    if (type == KubeWatch.Type.DELETED) {
      return;
    }
    if (ks.at("/status/lastAppliedRevision").isTextual()) {
      onSynced.accept(ks);
    }
    dependencies(ks);
    // inventories are followed even while disabled, so that enabling it later sees drift at once
    String owner = ks.at("/metadata/namespace").asText() + "/" + ks.at("/metadata/name").asText();
    for (JsonNode entry : ks.at("/status/inventory/entries")) {
      NudgeRules.InventoryEntry.parse(entry.path("id").asText(null), entry.path("v").asText(null)).ifPresent(inv -> {
        owners.add(inv.id() + "|" + owner);
        // from the Kustomization's own resourceVersion: a deletion right after the apply is not missed
        follow(inv.apiVersion() + "/" + inv.kind(), ks.at("/metadata/resourceVersion").asText(null), inv.apiVersion(), inv.kind(),
            (t, obj) -> objectChanged(t, obj, inv.group(), inv.kind()));
      });
    }
  }

  /** Remembers who waits for which dependency; nudges the waiting ones when it is Ready. */
  private void dependencies(JsonNode ks) {
    String namespace = ks.at("/metadata/namespace").asText();
    String self = namespace + "/" + ks.at("/metadata/name").asText();
    JsonNode ready = FluxStatus.find(ks, "Ready");
    if ("False".equals(ready.path("status").asText()) && Dependencies.REASON.equals(ready.path("reason").asText())) {
      for (JsonNode dep : ks.at("/spec/dependsOn")) {
        String key = dep.path("namespace").asText(namespace) + "/" + dep.path("name").asText();
        waitingFor.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(self);
      }
    }
    if ("True".equals(ready.path("status").asText())) {
      Set<String> waiting = waitingFor.remove(self);
      if (waiting != null && enabled) {
        waiting.forEach(w -> submit("the dependency " + self + " ready",
            () -> request(KUSTOMIZATIONS, w.substring(0, w.indexOf('/')), w.substring(w.indexOf('/') + 1))));
      }
    }
  }

  private void objectChanged(KubeWatch.Type type, ObjectNode obj, String group, String kind) {
    String uid = obj.at("/metadata/uid").asText();
    long generation = obj.at("/metadata/generation").asLong(0);
    Long previous = type == KubeWatch.Type.DELETED ? generations.remove(uid) : generations.put(uid, generation);
    if (!enabled || !NudgeRules.isDrift(type.name(), previous, generation)) {
      return;
    }
    String id = NudgeRules.InventoryEntry.id(obj.at("/metadata/namespace").asText(null), obj.at("/metadata/name").asText(), group, kind);
    for (String entry : Set.copyOf(owners)) {
      if (entry.startsWith(id + "|")) {
        String ks = entry.substring(entry.indexOf('|') + 1);
        submit("drift of " + id, () -> request(KUSTOMIZATIONS, ks.substring(0, ks.indexOf('/')), ks.substring(ks.indexOf('/') + 1)));
      }
    }
  }

  /** What {@code flux reconcile} does: a new requestedAt value (RFC 3339 with nanoseconds). */
  private void request(KubeKind type, String namespace, String name) {
    ObjectNode patch = Mappers.JSON.createObjectNode();
    patch.putObject("metadata").putObject("annotations").put(FluxStatus.REQUESTED_AT, DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
    try {
      kube.patch(type, namespace, name, patch);
    } catch (Kube.ApiError e) {
      LOG.debug("nudge of {} {}/{} not sent ({}): gone meanwhile?", type.kind(), namespace, name, e.getMessage());
    }
  }

  /** One watch per kind, across namespaces, opened once the kind is served (see {@link KubeWatch}). */
  private void follow(String key, String since, String apiVersion, String kind, KubeWatch.Listener listener) {
    if (closed || watches.containsKey(key)) {
      return;
    }
    watches.computeIfAbsent(key, k -> KubeWatch.of(kube, apiVersion, kind).since(since).listener(listener).start());
  }

  @Override
  public void close() {
    closed = true;
    watches.values().forEach(KubeWatch::close);
    watches.clear();
    work.shutdownNow();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        LOG.debug("closing the nudger's client failed", e);
      }
    }
  }
}
