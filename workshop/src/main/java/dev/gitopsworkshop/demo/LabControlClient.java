package dev.gitopsworkshop.demo;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.ControlPaths;
import dev.gitopsworkshop.state.LabFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running lab's control endpoints ({@link ControlPaths}), with the console token from lab.json. */
final class LabControlClient {
  private static final Logger LOG = LoggerFactory.getLogger(LabControlClient.class);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String url;
  private final String token;

  LabControlClient(LabFile lab) {
    this.url = lab.get("console", "url");
    this.token = lab.get("console", "token");
    if (url == null || token == null) {
      throw new WorkshopException("this lab offers no control endpoints (lab.json has no console section)",
          "stop it and start it again with this version: scripts/workshop up");
    }
  }

  /** Whether the lab nudges Flux now. */
  boolean nudge() {
    return call("GET", ControlPaths.NUDGE, null, Duration.ofSeconds(10)).path("enabled").asBoolean();
  }

  /** Switches the lab's nudges; answers the state before. */
  boolean nudge(boolean enabled) {
    ObjectNode body = Mappers.JSON.createObjectNode().put("enabled", enabled);
    return call("PUT", ControlPaths.NUDGE, body, Duration.ofSeconds(10)).path("previous").asBoolean();
  }

  /** A new, empty cluster in place of the lab's; what was done, in one line. */
  String replaceCluster(boolean yesDeleteNamespace) {
    ObjectNode body = Mappers.JSON.createObjectNode().put("yesDeleteNamespace", yesDeleteNamespace);
    return call("POST", ControlPaths.REPLACE_CLUSTER, body, Duration.ofMinutes(5)).path("replaced").asText();
  }

  /** The operator installed again from the workshop repository's flux/; what was applied. */
  JsonNode restoreOperator() {
    return call("POST", ControlPaths.RESTORE_OPERATOR, null, Duration.ofMinutes(2)).path("applied");
  }

  private JsonNode call(String method, String path, JsonNode body, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new WorkshopException("the lab's console at " + url + " does not answer (" + e.getMessage() + ")",
          "is the lab still running? see 'scripts/workshop status'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkshopException("interrupted while asking the lab", null, e);
    }
    JsonNode answer;
    try {
      answer = Mappers.JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      LOG.warn("the lab's control endpoint answered {} with a body that is not JSON: {}", response.statusCode(), response.body(), e);
      answer = Mappers.JSON.createObjectNode();
    }
    if (response.statusCode() == 401) {
      throw new WorkshopException("the lab refused its own console token (lab.json is from another start of the lab?)",
          "point --data-dir at the running lab's data directory");
    }
    if (response.statusCode() != 200) {
      throw new WorkshopException(answer.path("error").asText("the lab answered " + response.statusCode() + " to " + method + " " + path),
          answer.path("hint").asText(null));
    }
    return answer;
  }
}
