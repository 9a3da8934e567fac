package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.kube.Kube;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events about Flux objects, as Flux's controllers record them. */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private Events() {}

  public static void record(Kube api, JsonNode about, String type, String reason, String message, String component) {
    String namespace = about.at("/metadata/namespace").asText("default");
    String name = about.at("/metadata/name").asText();
    ObjectNode e = Mappers.JSON.createObjectNode();
    e.putObject("metadata").put("name", name + "." + Long.toHexString(System.nanoTime())).put("namespace", namespace);
    ObjectNode involved = e.putObject("involvedObject");
    involved.put("kind", about.path("kind").asText());
    involved.put("apiVersion", about.path("apiVersion").asText());
    involved.put("namespace", namespace);
    involved.put("name", name);
    involved.put("uid", about.at("/metadata/uid").asText());
    e.put("type", type);
    e.put("reason", reason);
    e.put("message", message);
    e.putObject("source").put("component", component);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    e.put("firstTimestamp", now);
    e.put("lastTimestamp", now);
    e.put("count", 1);
    e.put("reportingComponent", component);
    try {
      api.create(FluxKinds.EVENT, e);
    } catch (Kube.ApiError failure) {
      LOG.warn("cannot record the event {} {} for {}: {} (events are best effort)", type, reason,
          about.at("/metadata/name").asText(), failure.getMessage());
    }
  }
}
