package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Follows the objects of one kind in one namespace, as an informer does: what is there now (as
 * {@code LISTED}), then every change from that list's resourceVersion on (ADDED, MODIFIED,
 * DELETED), so that nothing between the two is missed. It returns only once the server has
 * answered the watch, so that a change made right after is heard when it happens, not when a
 * late connection replays it (fabric8's own HTTP watch connects in the background). The watch
 * goes through fabric8's HTTP client, with whatever authentication the kubeconfig has; it is
 * reopened from the last version seen when the server ends it.
 */
final class Follow implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LISTED = "LISTED";

  private final HttpClient http;
  private final String url;
  private final BiConsumer<String, JsonNode> events;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private volatile String version;
  private volatile AsyncBody body;
  private volatile boolean closed;

  private Follow(KubernetesClient client, ResourceDefinitionContext kind, String namespace, BiConsumer<String, JsonNode> events) {
    this.http = client.getHttpClient();
    String group = kind.getGroup() == null || kind.getGroup().isEmpty() ? "api" : "apis/" + kind.getGroup();
    this.url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/" + group + "/" + kind.getVersion()
        + "/namespaces/" + namespace + "/" + kind.getPlural();
    this.events = events;
  }

  /** Starts following; {@code events} hears the event type and the object, on the HTTP client's threads. */
  static Follow objects(KubernetesClient client, ResourceDefinitionContext kind, String namespace, BiConsumer<String, JsonNode> events) {
    Follow f = new Follow(client, kind, namespace, events);
    GenericKubernetesResourceList list = client.genericKubernetesResources(kind).inNamespace(namespace).list();
    f.version = list.getMetadata().getResourceVersion();
    for (GenericKubernetesResource o : list.getItems()) {
      events.accept(LISTED, JSON.valueToTree(o));
    }
    f.open();
    return f;
  }

  private void open() {
    if (closed) {
      return;
    }
    String watchUrl = url + "?watch=true" + (version == null ? "" : "&resourceVersion=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
    HttpRequest request = http.newHttpRequestBuilder().uri(watchUrl).build();
    HttpResponse<AsyncBody> response;
    try {
      response = http.consumeBytes(request, (buffers, async) -> {
        buffers.forEach(this::feed);
        async.consume();
      }).get(15, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException("cannot watch " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while starting to watch " + url, e);
    }
    if (!response.isSuccessful()) {
      response.body().cancel();
      throw new KubernetesClientException("watching " + url + " answered " + response.code());
    }
    body = response.body();
    body.done().whenComplete((ok, error) -> reopen());
    body.consume();
  }

  /** Bytes of the stream: one JSON watch event a line. */
  private synchronized void feed(ByteBuffer buffer) {
    while (buffer.hasRemaining()) {
      byte b = buffer.get();
      if (b != '\n') {
        pending.write(b);
        continue;
      }
      String line = pending.toString(StandardCharsets.UTF_8).strip();
      pending.reset();
      if (!line.isEmpty()) {
        event(line);
      }
    }
  }

  private void event(String line) {
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (IOException e) {
      return; // not an event: nothing to follow in it
    }
    String type = event.path("type").asText();
    JsonNode object = event.path("object");
    if (type.equals("ERROR")) {
      version = null; // e.g. 410 Gone: start again from now
      return;
    }
    String rv = object.at("/metadata/resourceVersion").asText("");
    if (!rv.isEmpty()) {
      version = rv;
    }
    if (!type.equals("BOOKMARK")) {
      try {
        events.accept(type, object);
      } catch (RuntimeException e) {
        // one odd object must not stop the watch
      }
    }
  }

  private void reopen() {
    if (closed) {
      return;
    }
    CompletableFuture.runAsync(() -> {
      try {
        open();
      } catch (KubernetesClientException e) {
        reopen();
      }
    }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    closed = true;
    AsyncBody b = body;
    if (b != null) {
      b.cancel();
    }
  }
}
