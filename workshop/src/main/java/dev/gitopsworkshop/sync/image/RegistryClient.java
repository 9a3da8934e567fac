package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a repository's tags through the OCI distribution API as a registry client does: asks
 * {@code /v2/<name>/tags/list}; answers a {@code 401} bearer challenge by fetching an anonymous
 * token from the realm it names; follows {@code Link: <...>; rel="next"} pages. Failures carry a
 * plain message: which registry, what went wrong.
 */
public final class RegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final int MAX_PAGES = 1000;

  /** A scan that failed; the message is what the ImageRepository's status says. */
  public static final class ScanFailure extends Exception {
    ScanFailure(String message) {
      super(message);
    }
  }

  private final HttpClient http;

  public RegistryClient(Duration connectTimeout) {
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Every tag of {@code repository} at the registry whose API is at {@code baseUrl}, in the order the registry gives. */
  public List<String> tags(String baseUrl, String repository, Duration timeout) throws ScanFailure {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    URI next = URI.create(base + "/v2/" + repository + "/tags/list");
    String token = null;
    List<String> tags = new ArrayList<>();
    for (int page = 0; next != null; page++) {
      if (page == MAX_PAGES) {
        throw new ScanFailure("the registry " + base + " gave more than " + MAX_PAGES + " pages of tags for " + repository);
      }
      HttpResponse<String> response = get(next, token, timeout, base);
      if (response.statusCode() == 401 && token == null) {
        token = token(response, base, timeout);
        response = get(next, token, timeout, base);
      }
      switch (response.statusCode()) {
        case 200 -> { }
        case 401, 403 -> throw new ScanFailure("the registry " + base + " refused to list the tags of " + repository
            + " (HTTP " + response.statusCode() + "): a private repository needs spec.secretRef");
        case 404 -> throw new ScanFailure("repository " + repository + " not found at " + base + " (HTTP 404): check spec.image");
        default -> throw new ScanFailure("the registry " + base + " answered HTTP " + response.statusCode() + " when listing the tags of "
            + repository + errorText(response.body()));
      }
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException e) {
        throw new ScanFailure("the registry " + base + " answered something that is not a tag list: " + e.getMessage());
      }
      body.path("tags").forEach(t -> tags.add(t.asText()));
      next = response.headers().firstValue("Link").map(link -> {
        Matcher m = NEXT.matcher(link);
        return m.find() ? URI.create(base + "/").resolve(m.group(1)) : null;
      }).orElse(null);
    }
    return tags;
  }

  private HttpResponse<String> get(URI uri, String token, Duration timeout, String base) throws ScanFailure {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw new ScanFailure("cannot reach the registry " + base + ": connection timed out");
    } catch (HttpTimeoutException e) {
      throw new ScanFailure("the registry " + base + " did not answer within " + timeout.toSeconds() + "s (spec.timeout)");
    } catch (ConnectException e) {
      throw new ScanFailure("cannot reach the registry " + base + ": connection refused; check spec.image's host and port");
    } catch (IOException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      if (root instanceof UnknownHostException || root instanceof ConnectException) {
        throw new ScanFailure("cannot reach the registry " + base + ": " + (root instanceof UnknownHostException
            ? "unknown host " + root.getMessage() : "connection refused") + "; check spec.image's host");
      }
      throw new ScanFailure("cannot reach the registry " + base + ": " + (e.getMessage() == null ? e : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanFailure("interrupted while asking " + base);
    }
  }

  /** Answers a {@code WWW-Authenticate: Bearer realm=...,service=...,scope=...} challenge with an anonymous token. */
  private String token(HttpResponse<String> challenge, String base, Duration timeout) throws ScanFailure {
    String header = challenge.headers().firstValue("WWW-Authenticate").orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ScanFailure("the registry " + base + " asks for credentials (" + (header.isEmpty() ? "HTTP 401" : header)
          + "): a private repository needs spec.secretRef");
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(header.substring(7));
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String realm = params.remove("realm");
    if (realm == null) {
      throw new ScanFailure("the registry " + base + " sent a bearer challenge without a realm: " + header);
    }
    StringBuilder query = new StringBuilder();
    params.forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpResponse<String> response = get(URI.create(base + "/").resolve(realm + query), null, timeout, realm);
    if (response.statusCode() != 200) {
      throw new ScanFailure("the registry's token service " + realm + " answered HTTP " + response.statusCode() + errorText(response.body()));
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText("");
      if (token.isEmpty()) {
        throw new ScanFailure("the registry's token service " + realm + " gave no token");
      }
      return token;
    } catch (IOException e) {
      throw new ScanFailure("the registry's token service " + realm + " answered something that is not JSON");
    }
  }

  private static String errorText(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("errors").path(0);
      return error.isMissingNode() ? "" : ": " + error.path("code").asText() + " " + error.path("message").asText();
    } catch (IOException | RuntimeException e) {
      LOG.debug("a registry's error body is not the registry API's JSON: {}", body, e);
      return "";
    }
  }
}
