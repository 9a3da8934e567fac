package dev.gitopsworkshop.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's one way to follow a kind through the Kubernetes API, as an informer does: list, then
 * watch from the list's resourceVersion (nothing between the two is missed); when the server ends
 * the watch, watch again from the last version seen; when that version is too old (410 Gone), list
 * again and tell the differences as ADDED, MODIFIED and DELETED. While the cluster does not serve
 * the kind (Flux's CRDs come with tutorial step 1), it asks discovery again every second rather
 * than opening a watch that fabric8 would retry with a growing back-off. Watches go through
 * fabric8's HTTP client (whatever the kubeconfig authenticates with) as kubectl's do: one JSON
 * event a line, and {@link Builder#open()} returns only once the server has answered, so that a
 * change made right after is heard when it happens.
 */
public final class KubeWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeWatch.class);
  /** How long the server keeps one watch open before the client opens the next (client-go: 5 to 10 minutes). */
  static final int WATCH_SECONDS = 300;
  static final long RETRY_MILLIS = 1000;

  /** What happened to an object. LISTED: it was there at the first list. */
  public enum Type { LISTED, ADDED, MODIFIED, DELETED }

  /** Hears each object as it changes, one event at a time for one watch. */
  public interface Listener {
    void event(Type type, ObjectNode object);
  }

  /** How to follow: which kind, where, from when, who hears it. */
  public static final class Builder {
    private final Kube kube;
    private final String apiVersion;
    private final String kind;
    private String namespace;
    private String fieldSelector;
    private String since;
    private boolean keepObjects;
    private Listener listener = (type, object) -> {};

    private Builder(Kube kube, String apiVersion, String kind) {
      this.kube = kube;
      this.apiVersion = apiVersion;
      this.kind = kind;
    }

    /** Only this namespace (default: all). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Only the objects a field selector selects ({@code type=Warning}). */
    public Builder fieldSelector(String fieldSelector) {
      this.fieldSelector = fieldSelector;
      return this;
    }

    /** Watch from this resourceVersion without listing first (no LISTED events). */
    public Builder since(String resourceVersion) {
      this.since = resourceVersion;
      return this;
    }

    /** Keep a copy of every object, for {@link #objects()}. */
    public Builder keepObjects() {
      this.keepObjects = true;
      return this;
    }

    public Builder listener(Listener listener) {
      this.listener = listener;
      return this;
    }

    /** Starts following in the background (at once if the kind is served, else as soon as it is). */
    public KubeWatch start() {
      KubeWatch w = new KubeWatch(this);
      w.later(0);
      return w;
    }

    /**
     * Lists and starts watching now, returning once the server has answered the watch; throws
     * {@link Kube.ApiError} when it cannot (then nothing goes on in the background).
     */
    public KubeWatch open() {
      KubeWatch w = new KubeWatch(this);
      w.attempt(true);
      return w;
    }
  }

  public static Builder of(Kube kube, String apiVersion, String kind) {
    return new Builder(kube, apiVersion, kind);
  }

  private final Kube kube;
  private final String apiVersion;
  private final String kindName;
  private final String namespace;
  private final String fieldSelector;
  private final Listener listener;
  private final boolean keepObjects;
  private final HttpClient http;
  /** Each object's resourceVersion (to tell the differences after a new list), and the object itself if kept. */
  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
  private final CountDownLatch firstAnswer = new CountDownLatch(1);
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private volatile String version;
  /** Whether the version is one to watch from (else: list first). */
  private volatile boolean listed;
  /** Whether a list (or a watch from a given version) came before: a new list tells differences, not LISTED. */
  private volatile boolean seenBefore;
  private volatile boolean served;
  private volatile boolean closed;
  private volatile AsyncBody body;

  private KubeWatch(Builder b) {
    this.kube = b.kube;
    this.apiVersion = b.apiVersion;
    this.kindName = b.kind;
    this.namespace = b.namespace;
    this.fieldSelector = b.fieldSelector;
    this.listener = b.listener;
    this.keepObjects = b.keepObjects;
    this.version = b.since;
    this.listed = b.since != null;
    this.seenBefore = b.since != null;
    this.http = kube.client().getHttpClient();
  }

  /** Whether the cluster served the kind at the last try (for a Flux kind: its CRD is installed). */
  public boolean served() {
    return served;
  }

  /** Waits (a bounded time) until the cluster has answered the first try, either way. */
  public boolean awaitFirstAnswer(Duration atMost) throws InterruptedException {
    return firstAnswer.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The objects as last seen (with {@link Builder#keepObjects()}). */
  public List<ObjectNode> objects() {
    return new ArrayList<>(objects.values());
  }

  private void later(long millis) {
    if (closed) {
      return;
    }
    try {
      kube.watchRetries().schedule(() -> attempt(false), millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("not watching {} again: the client is closing", kindName);
    }
  }

  /** One try: find the kind, list if needed, open the watch; on failure, try again later (or throw). */
  private void attempt(boolean failLoudly) {
    if (closed) {
      return;
    }
    try {
      KubeKind kind = kube.kind(apiVersion, kindName).orElse(null);
      if (kind == null) {
        notServed();
        if (failLoudly) {
          throw new Kube.ApiError(new KubernetesClientException("the cluster does not serve " + kindName + " (" + apiVersion + ")", 404, null));
        }
        later(RETRY_MILLIS);
        return;
      }
      String url = kube.client().getMasterUrl().toString().replaceAll("/+$", "") + kind.path(namespace);
      if (!listed) {
        list(kind, url);
      }
      served = true;
      firstAnswer.countDown();
      watch(url);
    } catch (Kube.ApiError | KubernetesClientException e) {
      int code = e instanceof Kube.ApiError a ? a.code() : ((KubernetesClientException) e).getCode();
      if (code == 404) {
        notServed();
        kube.kind(apiVersion, kindName).ifPresent(kube::forget);
      }
      firstAnswer.countDown();
      if (failLoudly) {
        throw e instanceof Kube.ApiError a ? a : new Kube.ApiError((KubernetesClientException) e);
      }
      LOG.debug("watching {} failed ({}): trying again in {} ms", kindName, e.getMessage(), RETRY_MILLIS);
      later(RETRY_MILLIS);
    } catch (RuntimeException e) {
      firstAnswer.countDown();
      if (failLoudly) {
        throw e;
      }
      LOG.warn("watching {} failed: trying again in {} ms", kindName, RETRY_MILLIS, e);
      later(RETRY_MILLIS);
    }
  }

  private void notServed() {
    served = false;
    firstAnswer.countDown();
    if (!versions.isEmpty()) {
      for (ObjectNode gone : List.copyOf(objects.values())) {
        deliver(Type.DELETED, gone);
      }
      versions.clear();
      objects.clear();
    }
  }

  /** The current objects: the first list told as LISTED, a later one as the differences from what was seen. */
  private void list(KubeKind kind, String url) {
    String query = fieldSelector == null ? "" : "?fieldSelector=" + enc(fieldSelector);
    JsonNode list = get(url + query);
    boolean first = !seenBefore;
    Map<String, ObjectNode> fresh = new HashMap<>();
    for (JsonNode item : list.path("items")) {
      ObjectNode o = (ObjectNode) item;
      // a list's items lack apiVersion and kind; events' objects have them
      o.put("apiVersion", kind.apiVersion()).put("kind", kind.kind());
      fresh.put(key(o), o);
    }
    synchronized (this) {
      for (Map.Entry<String, ObjectNode> e : fresh.entrySet()) {
        String before = versions.get(e.getKey());
        String now = e.getValue().at("/metadata/resourceVersion").asText();
        if (first) {
          deliver(Type.LISTED, e.getValue());
        } else if (before == null) {
          deliver(Type.ADDED, e.getValue());
        } else if (!before.equals(now)) {
          deliver(Type.MODIFIED, e.getValue());
        }
      }
      for (String k : List.copyOf(versions.keySet())) {
        if (!fresh.containsKey(k)) {
          ObjectNode gone = objects.get(k);
          deliver(Type.DELETED, gone != null ? gone : deletedStub(k));
        }
      }
      version = list.at("/metadata/resourceVersion").asText(null);
      listed = true;
      seenBefore = true;
    }
  }

  private ObjectNode deletedStub(String key) {
    ObjectNode o = Mappers.JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kindName);
    int slash = key.indexOf('/');
    ObjectNode meta = o.putObject("metadata").put("name", key.substring(slash + 1));
    if (slash > 0) {
      meta.put("namespace", key.substring(0, slash));
    }
    return o;
  }

  private JsonNode get(String url) {
    HttpRequest request = http.newHttpRequestBuilder().uri(url).header("Accept", "application/json").build();
    try {
      HttpResponse<String> response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
      if (!response.isSuccessful()) {
        throw new KubernetesClientException("listing " + url + " answered " + response.code(), response.code(), null);
      }
      return Mappers.JSON.readTree(response.body());
    } catch (ExecutionException | TimeoutException | IOException e) {
      throw new KubernetesClientException("cannot list " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while listing " + url, e);
    }
  }

  private void watch(String url) {
    StringBuilder watchUrl = new StringBuilder(url).append("?watch=true&allowWatchBookmarks=true&timeoutSeconds=").append(WATCH_SECONDS);
    if (version != null) {
      watchUrl.append("&resourceVersion=").append(enc(version));
    }
    if (fieldSelector != null) {
      watchUrl.append("&fieldSelector=").append(enc(fieldSelector));
    }
    HttpRequest request = http.newHttpRequestBuilder().uri(watchUrl.toString()).build();
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
      if (response.code() == 410) {
        listed = false; // too old: list again, and tell the differences
      }
      throw new KubernetesClientException("watching " + url + " answered " + response.code(), response.code(), null);
    }
    AsyncBody b = response.body();
    body = b;
    b.done().whenComplete((ok, error) -> {
      if (error != null) {
        LOG.debug("the watch of {} broke: {}", kindName, error.toString());
      }
      later(closed ? 0 : 50);
    });
    if (closed) {
      b.cancel();
      return;
    }
    b.consume();
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
      event = Mappers.JSON.readTree(line);
    } catch (IOException e) {
      LOG.warn("the watch of {} sent a line that is not JSON: {}", kindName, line.length() > 200 ? line.substring(0, 200) + "..." : line);
      return;
    }
    String type = event.path("type").asText();
    JsonNode object = event.path("object");
    if (type.equals("ERROR")) {
      if (object.path("code").asInt() == 410) {
        listed = false; // the version is too old: list again, and tell the differences
      } else {
        LOG.warn("the watch of {} ended with an error: {}", kindName, object.path("message").asText(object.toString()));
      }
      return;
    }
    String rv = object.at("/metadata/resourceVersion").asText("");
    if (!rv.isEmpty()) {
      version = rv;
    }
    if (!(object instanceof ObjectNode o) || type.equals("BOOKMARK")) {
      return;
    }
    switch (type) {
      case "ADDED" -> deliver(Type.ADDED, o);
      case "MODIFIED" -> deliver(Type.MODIFIED, o);
      case "DELETED" -> deliver(Type.DELETED, o);
      default -> LOG.debug("the watch of {} sent an event of type {}", kindName, type);
    }
  }

  private void deliver(Type type, ObjectNode o) {
    String k = key(o);
    if (type == Type.DELETED) {
      versions.remove(k);
      objects.remove(k);
    } else {
      versions.put(k, o.at("/metadata/resourceVersion").asText());
      if (keepObjects) {
        objects.put(k, o);
      }
    }
    try {
      listener.event(type, o);
    } catch (RuntimeException e) {
      // one odd object must not end the watch
      LOG.warn("a listener failed on {} {} {}", type, kindName, k, e);
    }
  }

  private static String key(JsonNode o) {
    return o.at("/metadata/namespace").asText("") + "/" + o.at("/metadata/name").asText();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
