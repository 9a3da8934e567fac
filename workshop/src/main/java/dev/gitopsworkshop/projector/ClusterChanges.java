package dev.gitopsworkshop.projector;

import dev.gitopsworkshop.projector.Timeline.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watcher.Action;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Turns what the watches report into the room's timeline lines: a Deployment created, scaled,
 * rolled to a new image or deleted; a pod created, ready, failed (with the reason), terminating or
 * gone; a Flux object becoming ready or not (with its message); a Warning event. It remembers what
 * each object looked like last, so that only changes a person would notice are told.
 */
final class ClusterChanges {
  private final BiConsumer<Kind, String> note;
  /** What each object looked like last time: uid -> a short description. */
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  ClusterChanges(BiConsumer<Kind, String> note) {
    this.note = note;
  }

  private void note(Kind kind, String text) {
    note.accept(kind, text);
  }

  void deployment(Action action, GenericKubernetesResource d) {
    String name = "Deployment " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    String uid = d.getMetadata().getUid();
    String now = d.get("spec", "replicas") + " " + Pods.firstImage(d.get("spec", "template", "spec", "containers"));
    switch (action) {
      case ADDED -> {
        seen.put(uid, now);
        note(Kind.CLUSTER, name + " created");
      }
      case DELETED -> {
        seen.remove(uid);
        note(Kind.CLUSTER, name + " deleted");
      }
      case MODIFIED -> {
        String before = seen.put(uid, now);
        if (before != null && !before.equals(now)) {
          String[] b = before.split(" ", 2);
          String[] n = now.split(" ", 2);
          if (!b[0].equals(n[0])) {
            note(Kind.CLUSTER, name + " scaled from " + b[0] + " to " + n[0]);
          }
          if (!b[1].equals(n[1])) {
            note(Kind.CLUSTER, name + " now runs " + n[1]);
          }
        }
      }
      default -> { }
    }
  }

  void pod(Action action, GenericKubernetesResource p) {
    String name = "pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    String uid = p.getMetadata().getUid();
    String state = Pods.box(p).path("state").asText();
    switch (action) {
      case ADDED -> {
        seen.put(uid, state);
        note(Kind.CLUSTER, name + " created");
      }
      case DELETED -> {
        seen.remove(uid);
        note(Kind.CLUSTER, name + " gone");
      }
      case MODIFIED -> {
        String before = seen.put(uid, state);
        if (!state.equals(before) && (state.equals("ready") || state.equals("failed") || state.equals("terminating"))) {
          note(state.equals("failed") ? Kind.WARNING : Kind.CLUSTER, name + " " + state
              + (state.equals("failed") ? " (" + Pods.box(p).path("detail").asText() + ")" : ""));
        }
      }
      default -> { }
    }
  }

  void event(Action action, GenericKubernetesResource e) {
    if (action != Action.ADDED || !"Warning".equals(e.get("type"))) {
      return;
    }
    Object kind = e.get("involvedObject", "kind");
    Object name = e.get("involvedObject", "name");
    note(Kind.WARNING, e.get("reason") + " " + kind + "/" + name + ": " + e.get("message"));
  }

  void flux(String kind, Action action, GenericKubernetesResource o) {
    String name = kind + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    String uid = o.getMetadata().getUid();
    if (action == Action.DELETED) {
      seen.remove(uid);
      note(Kind.FLUX, name + " deleted");
      return;
    }
    Map<?, ?> ready = FluxObjects.ready(o);
    String now = ready == null ? "" : ready.get("status") + ": " + ready.get("message");
    String before = seen.put(uid, now);
    if (action == Action.ADDED) {
      note(Kind.FLUX, name + " created");
    } else if (ready != null && !now.equals(before)) {
      note("False".equals(ready.get("status")) ? Kind.WARNING : Kind.FLUX, name + " " + ("True".equals(ready.get("status"))
          ? "ready: " : "not ready: ") + ready.get("message"));
    }
  }
}
