package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The JSON and YAML codecs the API server speaks, and small node helpers. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Json() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Parses a request body as JSON, or as YAML when {@code yaml}; 400 when it is not valid. */
  static JsonNode parse(byte[] body, boolean yaml) {
    try {
      JsonNode node = (yaml ? YAML : MAPPER).readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest("the request body is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      String what = yaml ? "YAML" : "JSON";
      throw ApiException.badRequest(
          "the body of the request was in an unknown format or not valid " + what + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
  }

  /** Parses a body that must be one object. */
  static ObjectNode parseObject(byte[] body, boolean yaml) {
    JsonNode node = parse(body, yaml);
    if (!node.isObject()) {
      throw ApiException.badRequest(
          "the body of the request must be a JSON object, not " + node.getNodeType().name().toLowerCase());
    }
    return (ObjectNode) node;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(JsonNode node) {
    return new String(bytes(node), StandardCharsets.UTF_8);
  }

  /** A text field or null when missing or null. */
  static String str(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
  }
}
