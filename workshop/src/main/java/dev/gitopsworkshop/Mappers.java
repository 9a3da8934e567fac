package dev.gitopsworkshop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The JSON and YAML mappers the whole tool shares (a mapper is costly to build and safe to share
 * once configured; nobody configures these after start).
 */
public final class Mappers {
  public static final ObjectMapper JSON = new ObjectMapper();
  /** JSON indented for people (lab.json, {@code -o json}). */
  public static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();
  public static final YAMLMapper YAML = new YAMLMapper();

  private Mappers() {}

  /** Compact JSON text of a tree (which cannot fail to serialize). */
  public static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
