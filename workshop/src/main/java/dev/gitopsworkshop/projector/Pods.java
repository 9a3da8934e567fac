package dev.gitopsworkshop.projector;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/** A pod as a box on the projector: its name and a state the page colours. */
final class Pods {
  private Pods() {}

  /** {@code {name, state, detail}}; state is one of starting, ready, unready, terminating, failed. */
  static ObjectNode box(GenericKubernetesResource p) {
    ObjectNode box = JsonNodeFactory.instance.objectNode();
    box.put("name", p.getMetadata().getName());
    String phase = String.valueOf((Object) p.get("status", "phase"));
    String waiting = waitingReason(p);
    String state;
    if (p.getMetadata().getDeletionTimestamp() != null) {
      state = "terminating";
    } else if ("Failed".equals(phase) || (waiting != null && !waiting.equals("ContainerCreating") && !waiting.equals("PodInitializing"))) {
      state = "failed";
    } else if ("Running".equals(phase)) {
      state = conditionTrue(p, "Ready") ? "ready" : "unready";
    } else if ("Succeeded".equals(phase)) {
      state = "terminating";
    } else {
      state = "starting";
    }
    box.put("state", state);
    box.put("detail", waiting != null ? waiting : "null".equals(phase) ? "Pending" : phase);
    return box;
  }

  static boolean matches(Map<?, ?> selector, Map<String, String> labels) {
    if (selector == null || selector.isEmpty() || labels == null) {
      return false;
    }
    for (Map.Entry<?, ?> e : selector.entrySet()) {
      if (!String.valueOf(e.getValue()).equals(labels.get(String.valueOf(e.getKey())))) {
        return false;
      }
    }
    return true;
  }

  static String firstImage(Object containers) {
    if (containers instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> c && c.get("image") != null) {
      return c.get("image").toString();
    }
    return "";
  }

  private static boolean conditionTrue(GenericKubernetesResource p, String type) {
    if (p.get("status", "conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
          return "True".equals(m.get("status"));
        }
      }
    }
    return false;
  }

  private static String waitingReason(GenericKubernetesResource p) {
    if (p.get("status", "containerStatuses") instanceof List<?> statuses) {
      for (Object s : statuses) {
        if (s instanceof Map<?, ?> m && m.get("state") instanceof Map<?, ?> st && st.get("waiting") instanceof Map<?, ?> w
            && w.get("reason") != null) {
          return w.get("reason").toString();
        }
      }
    }
    return null;
  }
}
