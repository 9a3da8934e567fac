package dev.gitopsworkshop.registry;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.sync.image.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The lab's registry seen from another process (the {@code registry} commands): lists tags through
 * the OCI API as any client would, and publishes a tag through the lab console's control endpoint.
 */
public final class RegistryRemote {
  private final String baseUrl;
  private final String token;

  private RegistryRemote(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  public static RegistryRemote of(LabFile lab) {
    String url = lab.get("registry", "url");
    if (url == null || url.isEmpty()) {
      throw new WorkshopException("the running lab has no registry of its own (its cluster mode is " + lab.clusterMode()
          + ", which uses the real registries)", "publish tags to the real registry, or run a lab with --cluster embedded");
    }
    return new RegistryRemote(url, lab.get("console", "token"));
  }

  /** {@code podinfo} is short for {@code stefanprodan/podinfo}; a registry host in front is dropped. */
  public static String repository(String name) {
    String n = name.strip();
    if (n.equals("podinfo")) {
      return TagStore.PODINFO;
    }
    int slash = n.indexOf('/');
    if (slash > 0 && (n.substring(0, slash).contains(".") || n.substring(0, slash).contains(":"))) {
      n = n.substring(slash + 1);
    }
    return n;
  }

  public String url() {
    return baseUrl;
  }

  public List<String> tags(String repository) {
    try {
      return new RegistryClient(Duration.ofSeconds(5)).tags(baseUrl, repository, Duration.ofSeconds(10));
    } catch (RegistryClient.ScanFailure e) {
      throw new WorkshopException(e.getMessage(), "is the lab still running? see 'scripts/workshop status'");
    }
  }

  /** Publishes a tag; false when the registry had it already. */
  public boolean publish(String repository, String tag) {
    String form = "repository=" + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + LabRegistry.PUBLISH_PATH))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new WorkshopException("cannot reach the lab's registry at " + baseUrl + ": " + e.getMessage(),
          "is the lab still running? see 'scripts/workshop status'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkshopException("interrupted", null, e);
    }
    JsonNode body;
    try {
      body = Mappers.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new WorkshopException("the lab's registry answered HTTP " + response.statusCode() + " with something that is not JSON",
          "is another program using the lab's console port? see 'scripts/workshop status'");
    }
    if (response.statusCode() == 400) {
      throw WorkshopException.usage(body.path("error").asText(), body.path("hint").asText(null));
    }
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw new WorkshopException("the lab refused to publish the tag (HTTP " + response.statusCode() + "): " + body.path("error").asText(body.toString()),
          "run the command from the directory of the lab's data dir, or give --data-dir");
    }
    return body.path("published").asBoolean();
  }
}
