package dev.gitopsworkshop;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

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

  /**
   * Refuses YAML aliases ({@code *name}). Jackson's YAML reader would read an alias as a string
   * holding the anchor's name, and the object would silently change; kubectl and kustomize expand
   * them, so a file with aliases goes through them, not through the lab's own readers.
   *
   * @throws JsonParseException naming the alias and its line
   */
  public static void refuseYamlAliases(String yaml) throws IOException {
    try (JsonParser parser = YAML.createParser(yaml)) {
      while (parser.nextToken() != null) {
        if (parser instanceof YAMLParser y && y.isCurrentAlias()) {
          throw new JsonParseException(parser, "the YAML alias *" + parser.getText() + " is not read by the lab's own YAML reader: "
              + "write the anchored value out in full (or apply the file with kubectl, which expands aliases)");
        }
      }
    }
  }

  /** Compact JSON text of a tree (which cannot fail to serialize). */
  public static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
