package dev.gitopsworkshop.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitopsworkshop.WorkshopException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import io.fabric8.kubernetes.client.internal.CertUtils;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small Kubernetes REST client (JSON over HTTPS, bearer token, the cluster's CA) for the lab's
 * own controllers and nudges: get, list, server-side apply, merge patch, delete, watch, and the
 * kind-to-resource mapping from discovery.
 */
public final class KubeClient {
  public static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String server;
  private final String token;
  private final Map<String, Resource> resources = new ConcurrentHashMap<>();

  /** Where objects of a kind live: {@code /apis/group/version} and plural, namespaced or not. */
  public record Resource(String groupVersionPath, String plural, boolean namespaced) {
    public String path(String namespace, String name) {
      String base = groupVersionPath + (namespaced && namespace != null ? "/namespaces/" + namespace : "") + "/" + plural;
      return name == null ? base : base + "/" + name;
    }
  }

  /** An answer the API server refused, with its code and message. */
  public static final class ApiError extends RuntimeException {
    final int code;

    ApiError(int code, String message) {
      super(message);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public KubeClient(String server, String token, String caPem) {
    this(server, token, sslContext(caPem, null));
  }

  private KubeClient(String server, String token, SSLContext ssl) {
    this.server = server.replaceAll("/+$", "");
    this.token = token;
    this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * A client from a kubeconfig's current context: a token or a client certificate (k3s, kind), and
   * the server's CA (the lab's own kubeconfigs, and the clusters of the k3s and kubeconfig modes).
   */
  public static KubeClient fromKubeconfig(Path kubeconfig) {
    try {
      JsonNode cfg = new YAMLMapper().readTree(Files.readString(kubeconfig));
      String current = cfg.path("current-context").asText();
      JsonNode context = find(cfg.path("contexts"), current).path("context");
      JsonNode cluster = find(cfg.path("clusters"), context.path("cluster").asText()).path("cluster");
      JsonNode user = find(cfg.path("users"), context.path("user").asText()).path("user");
      byte[] caBytes = dataOrFile(cluster, "certificate-authority");
      String ca = caBytes == null ? null : new String(caBytes, StandardCharsets.US_ASCII);
      byte[] cert = dataOrFile(user, "client-certificate");
      byte[] key = dataOrFile(user, "client-key");
      KeyManager[] client = null;
      if (cert != null && key != null) {
        KeyStore keys = CertUtils.createKeyStore(
            new ByteArrayInputStream(cert), new ByteArrayInputStream(key), keyAlgorithm(key), new char[0], null, new char[0]);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        client = kmf.getKeyManagers();
      }
      return new KubeClient(cluster.path("server").asText(), user.path("token").asText(null), sslContext(ca, client));
    } catch (GeneralSecurityException e) {
      throw new WorkshopException("cannot use the client certificate in the kubeconfig " + kubeconfig + ": " + e.getMessage(),
          "check the kubeconfig's user (kubectl config view)", e);
    } catch (IOException | RuntimeException e) {
      throw new WorkshopException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(),
          "start the lab again, or point --data-dir at a running lab", e);
    }
  }

  /** {@code NAME-data} (base64) or the file {@code NAME} names (minikube writes files), or null. */
  private static byte[] dataOrFile(JsonNode section, String name) throws IOException {
    if (section.hasNonNull(name + "-data")) {
      return Base64.getDecoder().decode(section.path(name + "-data").asText());
    }
    return section.hasNonNull(name) ? Files.readAllBytes(Path.of(section.path(name).asText())) : null;
  }

  /** EC for k3s's and kind's SEC1 keys ({@code BEGIN EC PRIVATE KEY}), else RSA. */
  static String keyAlgorithm(byte[] pem) {
    return new String(pem, StandardCharsets.US_ASCII).contains("BEGIN EC PRIVATE KEY") ? "EC" : "RSA";
  }

  private static JsonNode find(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (name.equals(n.path("name").asText())) {
        return n;
      }
    }
    return JSON.createObjectNode();
  }

  private static SSLContext sslContext(String caPem, KeyManager[] client) {
    try {
      if (caPem == null && client == null) {
        return SSLContext.getDefault();
      }
      if (caPem == null) {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(client, null, null);
        return ctx;
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("cluster", CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(client, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust the cluster's certificate: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- discovery

  /** Where objects of {@code apiVersion}/{@code kind} live, asking discovery (again, for new CRDs). */
  public Optional<Resource> resource(String apiVersion, String kind) {
    String key = apiVersion + "/" + kind;
    Resource r = resources.get(key);
    if (r == null) {
      String gvPath = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
      JsonNode list = getOrNull(gvPath);
      if (list != null) {
        for (JsonNode res : list.path("resources")) {
          if (!res.path("name").asText().contains("/")) {
            resources.put(apiVersion + "/" + res.path("kind").asText(),
                new Resource(gvPath, res.path("name").asText(), res.path("namespaced").asBoolean()));
          }
        }
      }
      r = resources.get(key);
    }
    return Optional.ofNullable(r);
  }

  // ---------------------------------------------------------------- verbs

  public JsonNode getOrNull(String path) {
    try {
      return send(HttpRequest.newBuilder(uri(path)).GET(), 200);
    } catch (ApiError e) {
      if (e.code == 404) {
        return null;
      }
      throw e;
    }
  }

  /** Server-side apply as {@code manager}, forcing conflicts. */
  public JsonNode apply(String path, ObjectNode object, String manager, boolean dryRun) {
    String query = "?fieldManager=" + enc(manager) + "&force=true" + (dryRun ? "&dryRun=All" : "");
    return send(HttpRequest.newBuilder(uri(path + query))
        .header("Content-Type", "application/apply-patch+yaml")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(write(object))), 200, 201);
  }

  public JsonNode mergePatch(String path, JsonNode patch) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(write(patch))), 200);
  }

  public JsonNode create(String path, JsonNode object) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(write(object))), 200, 201);
  }

  public void delete(String path) {
    try {
      send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
          .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"propagationPolicy\":\"Background\"}")), 200, 202);
    } catch (ApiError e) {
      if (e.code != 404) {
        throw e;
      }
    }
  }

  /**
   * Watches a collection until {@code running} says stop, resuming from the last resourceVersion
   * it saw when the stream ends (so no change is missed), and from scratch after 410 Gone; each
   * event ({@code type}, {@code object}) goes to {@code events}. Blocks: run it on its own thread.
   *
   * @param fromResourceVersion where to start (null: the current objects first, as ADDED)
   */
  public void watch(String collectionPath, String fromResourceVersion, Consumer<JsonNode> events,
      java.util.function.BooleanSupplier running) {
    String rv = fromResourceVersion;
    while (running.getAsBoolean()) {
      try {
        String query = "?watch=true&timeoutSeconds=300" + (rv == null ? "" : "&resourceVersion=" + enc(rv));
        HttpRequest req = authorized(HttpRequest.newBuilder(uri(collectionPath + query))).GET().build();
        HttpResponse<java.io.InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
          resp.body().close();
          Thread.sleep(1000);
          continue;
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null && running.getAsBoolean(); line = lines.readLine()) {
            if (line.isBlank()) {
              continue;
            }
            JsonNode event = JSON.readTree(line);
            if ("ERROR".equals(event.path("type").asText())) {
              rv = null; // too old: start again from the current state
              break;
            }
            String seen = event.at("/object/metadata/resourceVersion").asText("");
            if (!seen.isEmpty()) {
              rv = seen;
            }
            if (!"BOOKMARK".equals(event.path("type").asText())) {
              events.accept(event);
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  public void watch(String collectionPath, Consumer<JsonNode> events, java.util.function.BooleanSupplier running) {
    watch(collectionPath, null, events, running);
  }

  // ---------------------------------------------------------------- plumbing

  private URI uri(String path) {
    return URI.create(server + path);
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    b.header("Accept", "application/json").timeout(Duration.ofSeconds(330));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private JsonNode send(HttpRequest.Builder builder, int... ok) {
    try {
      HttpResponse<String> resp = http.send(authorized(builder).build(), HttpResponse.BodyHandlers.ofString());
      for (int code : ok) {
        if (resp.statusCode() == code) {
          return resp.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(resp.body());
        }
      }
      String message = resp.body();
      try {
        message = JSON.readTree(resp.body()).path("message").asText(resp.body());
      } catch (IOException ignored) {
        // not a Status: keep the body
      }
      throw new ApiError(resp.statusCode(), message);
    } catch (IOException e) {
      throw new ApiError(0, "cannot reach the Kubernetes API at " + server + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(0, "interrupted");
    }
  }

  public static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
