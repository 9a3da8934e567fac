package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.KubeClient;
import dev.gitopsworkshop.git.PushEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes Flux prompt without lying about it, exactly as {@code flux reconcile} does: it sets
 * {@code reconcile.fluxcd.io/requestedAt} on the GitRepository that follows a pushed branch, and on
 * the Kustomization one of whose objects was deleted or changed behind Git's back. Works on real
 * Flux as on the embedded controllers. Disabled, it does nothing: Flux keeps to its intervals.
 */
public final class Nudger implements AutoCloseable {
  private final KubeClient kube;
  private final boolean enabled;
  private final ExecutorService work = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "nudger");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Thread> watches = new ConcurrentHashMap<>();
  private final Set<String> inventoryIds = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;

  private final java.util.function.Consumer<JsonNode> onSynced;

  /**
   * @param onSynced told of every Kustomization that reports Ready (the lab remembers the operator
   *     was configured), whether nudges are enabled or not
   */
  public Nudger(KubeClient kube, boolean enabled, java.util.function.Consumer<JsonNode> onSynced) {
    this.kube = kube;
    this.enabled = enabled;
    this.onSynced = onSynced;
    follow(KustomizeController.PATH + "/kustomizations", null, this::kustomizationChanged);
  }

  /** A push happened: ask the GitRepositories following that repository and branch to fetch now. */
  public void pushed(PushEvent event) {
    if (!enabled || !event.ref().startsWith("refs/heads/")) {
      return;
    }
    String branch = event.ref().substring("refs/heads/".length());
    work.submit(() -> {
      JsonNode repos = kube.getOrNull(SourceController.PATH + "/gitrepositories");
      if (repos == null) {
        return;
      }
      for (JsonNode repo : repos.path("items")) {
        String url = repo.at("/spec/url").asText("");
        if (url.replaceAll("/+$", "").endsWith("/" + event.repository()) && branch.equals(repo.at("/spec/ref/branch").asText("master"))) {
          request(SourceController.PATH + "/namespaces/" + repo.at("/metadata/namespace").asText() + "/gitrepositories/"
              + repo.at("/metadata/name").asText());
        }
      }
    });
  }

  /** Learns each Kustomization's inventory and watches the kinds in it for drift. */
  private void kustomizationChanged(JsonNode event) {
    JsonNode ks = event.path("object");
    if (ks.at("/status/lastAppliedRevision").isTextual()) {
      onSynced.accept(ks);
    }
    if (!enabled) {
      return;
    }
    for (JsonNode entry : ks.at("/status/inventory/entries")) {
      String id = entry.path("id").asText();
      inventoryIds.add(id + "|" + Reconciler.key(ks));
      String[] p = id.split("_", 4);
      if (p.length == 4) {
        String apiVersion = p[2].isEmpty() ? entry.path("v").asText() : p[2] + "/" + entry.path("v").asText();
        // from the Kustomization's own resourceVersion: a deletion right after the apply is not missed
        String since = ks.at("/metadata/resourceVersion").asText(null);
        kube.resource(apiVersion, p[3]).ifPresent(r -> follow(r.path(null, null), since, e -> objectChanged(e, p[2], p[3])));
      }
    }
  }

  private void objectChanged(JsonNode event, String group, String kind) {
    String type = event.path("type").asText();
    JsonNode obj = event.path("object");
    boolean drift = "DELETED".equals(type)
        || ("MODIFIED".equals(type) && specChanged(obj));
    if (!drift) {
      return;
    }
    String id = obj.at("/metadata/namespace").asText("") + "_" + obj.at("/metadata/name").asText() + "_" + group + "_" + kind;
    for (String entry : List.copyOf(inventoryIds)) {
      if (entry.startsWith(id + "|")) {
        String ks = entry.substring(entry.indexOf('|') + 1);
        work.submit(() -> request(KustomizeController.PATH + "/namespaces/" + ks.substring(0, ks.indexOf('/'))
            + "/kustomizations/" + ks.substring(ks.indexOf('/') + 1)));
      }
    }
  }

  /**
   * Whether the object's spec changed (its generation moved). A change of any origin counts: when it
   * was Flux's own apply, the Kustomization it nudges finds nothing to do, so this costs one no-op
   * reconcile and never loops.
   */
  private final Map<String, Long> generations = new ConcurrentHashMap<>();

  private boolean specChanged(JsonNode obj) {
    Long seen = generations.put(obj.at("/metadata/uid").asText(), obj.at("/metadata/generation").asLong(0));
    return seen != null && seen != obj.at("/metadata/generation").asLong(0);
  }

  private void request(String path) {
    ObjectNode patch = KubeClient.JSON.createObjectNode();
    patch.putObject("metadata").putObject("annotations").put(FluxStatus.REQUESTED_AT, Instant.now().toString());
    try {
      kube.mergePatch(path, patch);
    } catch (KubeClient.ApiError ignored) {
      // the object went away meanwhile
    }
  }

  private void follow(String collection, String since, java.util.function.Consumer<JsonNode> onEvent) {
    watches.computeIfAbsent(collection, c -> {
      Thread t = new Thread(() -> kube.watch(c, since, onEvent, () -> running), "nudger-watch " + c);
      t.setDaemon(true);
      t.start();
      return t;
    });
  }

  @Override
  public void close() {
    running = false;
    watches.values().forEach(Thread::interrupt);
    work.shutdownNow();
  }
}
