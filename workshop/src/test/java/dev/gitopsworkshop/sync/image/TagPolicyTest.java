package dev.gitopsworkshop.sync.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TagPolicyTest {
  private static final List<String> PODINFO = List.of("6.4.1", "6.5.0", "6.5.4", "6.5.10-rc.1", "6.6.0", "latest", "v6.5.3", "6.5.4.sig");

  private static JsonNode spec(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  @Test
  void semverTakesTheHighestVersionInRange() throws Exception {
    TagPolicy p = TagPolicy.from(spec("{\"policy\":{\"semver\":{\"range\":\"6.5.x\"}}}"));
    assertEquals(Optional.of("6.5.4"), p.latest(PODINFO));
    assertEquals(Optional.of("6.6.0"), TagPolicy.from(spec("{\"policy\":{\"semver\":{\"range\":\">=6.0.0\"}}}")).latest(PODINFO));
    assertEquals(Optional.empty(), TagPolicy.from(spec("{\"policy\":{\"semver\":{\"range\":\"9.x\"}}}")).latest(PODINFO));
  }

  @Test
  void alphabeticalAndNumericalTakeTheLastInTheirOrderOrTheFirstWithDesc() throws Exception {
    List<String> builds = List.of("main-00012-a", "main-00003-b", "main-00140-c");
    String filter = "\"filterTags\":{\"pattern\":\"^main-(?P<num>\\\\d+)-\",\"extract\":\"$num\"}";
    assertEquals(Optional.of("main-00140-c"), TagPolicy.from(spec("{\"policy\":{\"alphabetical\":{}}}")).latest(builds));
    assertEquals(Optional.of("main-00003-b"), TagPolicy.from(spec("{\"policy\":{\"alphabetical\":{\"order\":\"desc\"}}}")).latest(builds));
    assertEquals(Optional.of("main-00140-c"), TagPolicy.from(spec("{\"policy\":{\"numerical\":{}}," + filter + "}")).latest(builds));
    assertEquals(Optional.of("main-00003-b"), TagPolicy.from(spec("{\"policy\":{\"numerical\":{\"order\":\"desc\"}}," + filter + "}")).latest(builds));
  }

  @Test
  void filterTagsKeepsMatchesAndExtractsTheValueToOrderBy() throws Exception {
    List<String> tags = List.of("1.0.0-build.7", "2.0.0-build.3", "other");
    TagPolicy p = TagPolicy.from(spec("{\"policy\":{\"numerical\":{}},\"filterTags\":{\"pattern\":\"-build\\\\.(\\\\d+)$\",\"extract\":\"$1\"}}"));
    assertEquals(Optional.of("1.0.0-build.7"), p.latest(tags));
  }

  @Test
  void badPoliciesSayWhatIsWrong() throws Exception {
    TagPolicy.InvalidPolicy range = assertThrows(TagPolicy.InvalidPolicy.class, () -> TagPolicy.from(spec("{\"policy\":{\"semver\":{\"range\":\"6.5.y\"}}}")));
    assertTrue(range.getMessage().contains("invalid semver range") && range.getMessage().contains("6.5.y"), range.getMessage());
    TagPolicy.InvalidPolicy none = assertThrows(TagPolicy.InvalidPolicy.class, () -> TagPolicy.from(spec("{\"policy\":{}}")));
    assertTrue(none.getMessage().contains("semver, alphabetical or numerical"), none.getMessage());
    TagPolicy.InvalidPolicy regex = assertThrows(TagPolicy.InvalidPolicy.class,
        () -> TagPolicy.from(spec("{\"policy\":{\"alphabetical\":{}},\"filterTags\":{\"pattern\":\"(\"}}")));
    assertTrue(regex.getMessage().contains("invalid regular expression"), regex.getMessage());
    TagPolicy numbers = TagPolicy.from(spec("{\"policy\":{\"numerical\":{}}}"));
    TagPolicy.InvalidPolicy nan = assertThrows(TagPolicy.InvalidPolicy.class, () -> numbers.latest(List.of("1", "latest")));
    assertTrue(nan.getMessage().contains("'latest' is not a number"), nan.getMessage());
  }
}
