package dev.gitopsworkshop;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import dev.gitopsworkshop.sync.build.BuildFailure;
import dev.gitopsworkshop.sync.build.Manifests;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** YAML aliases: Jackson would read one as its anchor's name; the lab refuses them instead. */
class MappersTest {
  private static final String ANCHORED = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shared}
      data: &common
        colour: blue
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: reused}
      data: *common
      """;

  @Test
  void anAliasIsRefusedWithItsNameAndLine() {
    JsonParseException e = assertThrows(JsonParseException.class, () -> Mappers.refuseYamlAliases(ANCHORED));
    assertTrue(e.getMessage().contains("the YAML alias *common is not read by the lab's own YAML reader"), e.getMessage());
    assertTrue(e.getMessage().contains("line: 10"), e.getMessage());
  }

  @Test
  void yamlWithoutAliasesPasses() {
    assertDoesNotThrow(() -> Mappers.refuseYamlAliases(ANCHORED.replace("&common", "").replace("*common", "{colour: blue}")));
  }

  @Test
  void aKustomizationBuildWithoutKubectlFailsNamingTheFileAndTheAlias() {
    BuildFailure e = assertThrows(BuildFailure.class, () -> Manifests.parse("apps/config.yaml", ANCHORED.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("apps/config.yaml: the YAML alias *common"), e.getMessage());
  }
}
