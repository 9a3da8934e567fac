package dev.gitopsworkshop.cluster.embedded;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The embedded cluster's JSON and YAML mappers and a few small node helpers. */
public final class Json {
  public static final ObjectMapper MAPPER = Mappers.JSON;
  public static final YAMLMapper YAML = Mappers.YAML;

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a request body as JSON, or as YAML when the content type says so; 400 otherwise. */
  public static JsonNode parse(byte[] body, String contentType) {
    if (contentType != null && contentType.contains("protobuf")) {
      return ProtobufBodies.decode(body);
    }
    boolean yaml = contentType != null && contentType.contains("yaml");
    try {
      JsonNode node = yaml ? YAML.readTree(body) : MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest("the request body is empty");
      }
      return node;
    } catch (java.io.IOException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw ApiException.badRequest(
          "the body of the request was in an unknown format - accepted media types include: "
              + "application/json, application/yaml (" + msg + ")");
    }
  }

  public static String text(JsonNode node, String pointer) {
    JsonNode v = node.at(pointer);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }
}
