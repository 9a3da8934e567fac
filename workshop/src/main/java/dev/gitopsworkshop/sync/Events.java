package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.kube.Kube;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events about Flux objects, as Flux's controllers record them through client-go's
 * recorder: the reason is the object's Ready reason, the revision rides along as the annotation
 * {@code <group>/revision}; the same event again raises {@code count} of the one already written,
 * and past ten different messages of one reason within ten minutes, they are combined into one
 * event ({@code (combined from similar events): ...}), as client-go's correlator does.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private static final int REMEMBERED = 1024;
  static final int SIMILAR = 10;
  static final long SIMILAR_WINDOW_MILLIS = 600_000;
  static final String COMBINED = "(combined from similar events): ";

  private final Kube api;
  private final String component;
  private final Map<String, String[]> written = lru();
  private final Map<String, Similar> similar = lru();

  private record Similar(long since, Set<String> messages) {}

  public Events(Kube api, String component) {
    this.api = api;
    this.component = component;
  }

  public void normal(JsonNode about, String reason, String message, String revision) {
    record(about, "Normal", reason, message, revision);
  }

  public void warning(JsonNode about, String reason, String message, String revision) {
    record(about, "Warning", reason, message, revision);
  }

  private synchronized void record(JsonNode about, String type, String reason, String message, String revision) {
    String aggregate = String.join("\n", about.at("/metadata/uid").asText(), type, reason);
    long now = System.currentTimeMillis();
    Similar s = similar.get(aggregate);
    if (s == null || now - s.since() > SIMILAR_WINDOW_MILLIS) {
      s = new Similar(now, new HashSet<>());
      similar.put(aggregate, s);
    }
    s.messages().add(message);
    String key = aggregate + "\n" + message;
    if (s.messages().size() >= SIMILAR) {
      key = aggregate;
      message = COMBINED + message;
    }
    ObjectNode event = event(about, type, reason, message, revision, component);
    String[] existing = written.get(key);
    try {
      if (existing != null && repeat(existing, message)) {
        return;
      }
      JsonNode created = api.create(FluxKinds.EVENT, event);
      written.put(key, new String[] {created.at("/metadata/namespace").asText(), created.at("/metadata/name").asText()});
    } catch (Kube.ApiError e) {
      LOG.warn("cannot record the event {} {} for {}: {} (events are best effort)", type, reason,
          about.at("/metadata/name").asText(), e.getMessage());
    }
  }

  /** Raises the count of an event written before; false when it is gone (expired, deleted). */
  private boolean repeat(String[] event, String message) {
    JsonNode live = api.get(FluxKinds.EVENT, event[0], event[1]);
    if (live == null) {
      return false;
    }
    ObjectNode patch = Mappers.JSON.createObjectNode();
    patch.put("count", live.path("count").asInt(1) + 1);
    patch.put("lastTimestamp", now());
    patch.put("message", message);
    api.patch(FluxKinds.EVENT, event[0], event[1], patch);
    return true;
  }

  /** An event as written without correlation (the image controllers' few events). */
  public static void record(Kube api, JsonNode about, String type, String reason, String message, String component) {
    try {
      api.create(FluxKinds.EVENT, event(about, type, reason, message, null, component));
    } catch (Kube.ApiError e) {
      LOG.warn("cannot record the event {} {} for {}: {} (events are best effort)", type, reason,
          about.at("/metadata/name").asText(), e.getMessage());
    }
  }

  static ObjectNode event(JsonNode about, String type, String reason, String message, String revision, String component) {
    String namespace = about.at("/metadata/namespace").asText("default");
    String name = about.at("/metadata/name").asText();
    ObjectNode e = Mappers.JSON.createObjectNode();
    ObjectNode meta = e.putObject("metadata");
    meta.put("name", name + "." + Long.toHexString(System.nanoTime()));
    meta.put("namespace", namespace);
    String apiVersion = about.path("apiVersion").asText();
    if (revision != null && !revision.isEmpty() && apiVersion.contains("/")) {
      meta.putObject("annotations").put(apiVersion.substring(0, apiVersion.indexOf('/')) + "/revision", revision);
    }
    ObjectNode involved = e.putObject("involvedObject");
    involved.put("kind", about.path("kind").asText());
    involved.put("apiVersion", apiVersion);
    involved.put("namespace", namespace);
    involved.put("name", name);
    involved.put("uid", about.at("/metadata/uid").asText());
    involved.put("resourceVersion", about.at("/metadata/resourceVersion").asText());
    e.put("type", type);
    e.put("reason", reason);
    e.put("message", message);
    e.putObject("source").put("component", component);
    String now = now();
    e.put("firstTimestamp", now);
    e.put("lastTimestamp", now);
    e.put("count", 1);
    e.put("reportingComponent", component);
    return e;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > REMEMBERED;
      }
    };
  }
}
