package dev.gitopsworkshop.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The artifact beyond the checkout: sparse checkout folders and includes, with Flux's failures. */
class ArtifactContentTest {
  static final Map<String, byte[]> CHECKOUT = SourceIgnoreTest.files("apps/a.yaml", "a", "infra/b.yaml", "b", "README.md", "r");

  static JsonNode json(String text) throws Exception {
    return Mappers.JSON.readTree(text);
  }

  @Test
  void sparseCheckoutKeepsOnlyItsFoldersAndEachMustExist() throws Exception {
    assertEquals(List.of("apps/a.yaml"), List.copyOf(ArtifactContent.sparse(CHECKOUT, json("[\"./apps\"]")).keySet()));
    ArtifactContent.Failure e = assertThrows(ArtifactContent.Failure.class,
        () -> ArtifactContent.sparse(CHECKOUT, json("[\"apps\", \"nope\"]")));
    assertEquals("GitOperationFailed", e.reason);
    assertEquals("failed to sparse checkout directories : sparse checkout dir 'nope' does not exist in repository"
        + " (check spec.sparseCheckout)", e.getMessage());
  }

  @Test
  void anIncludeIsCopiedToItsPathOrTheRepositorysName() throws Exception {
    Map<String, byte[]> lib = SourceIgnoreTest.files("charts/x.yaml", "x", "other/y.yaml", "y");
    Map<String, byte[]> all = ArtifactContent.include(CHECKOUT,
        json("[{\"repository\": {\"name\": \"lib\"}, \"fromPath\": \"charts\", \"toPath\": \"vendor/charts\"},"
            + " {\"repository\": {\"name\": \"lib\"}}]"), name -> lib);
    assertEquals(List.of("README.md", "apps/a.yaml", "infra/b.yaml", "lib/charts/x.yaml", "lib/other/y.yaml", "vendor/charts/x.yaml"),
        List.copyOf(all.keySet()));
  }

  @Test
  void anIncludeWithoutArtifactOrPathIsReported() throws Exception {
    ArtifactContent.Failure waiting = assertThrows(ArtifactContent.Failure.class,
        () -> ArtifactContent.include(CHECKOUT, json("[{\"repository\": {\"name\": \"lib\"}}]"), name -> null));
    assertEquals("IncludeUnavailable", waiting.condition);
    assertEquals("no artifact available for include 'lib'", waiting.getMessage());
    ArtifactContent.Failure copy = assertThrows(ArtifactContent.Failure.class, () -> ArtifactContent.include(CHECKOUT,
        json("[{\"repository\": {\"name\": \"lib\"}, \"fromPath\": \"nope\"}]"), name -> CHECKOUT));
    assertEquals("CopyFailure", copy.reason);
  }
}
