package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The build stage's YAML and JSON mappers, and YAML text written as kustomize writes it (plain scalars where it can). */
final class Yaml {
  static final YAMLMapper MAPPER = Manifests.YAML;
  static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper WRITER = YAMLMapper.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .build();

  private Yaml() {}

  static String text(JsonNode object) {
    try {
      return WRITER.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed object cannot be written back as YAML", e);
    }
  }
}
