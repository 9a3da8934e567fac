package dev.gitopsworkshop.tutorial.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.tutorial.model.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLoaderTest {
  @TempDir Path tmp;

  @Test
  void theProjectsStepsLoad() {
    List<Step> steps = StepLoader.load(Cli.projectRoot().resolve("steps"));
    assertEquals(9, steps.size());
    for (int i = 0; i < 9; i++) {
      assertEquals(i, steps.get(i).id());
      assertFalse(steps.get(i).body().isBlank());
    }
    assertTrue(steps.stream().allMatch(Step::available));
    assertTrue(steps.get(8).checks().size() >= 3);
    assertTrue(steps.get(4).checks().size() >= 3);
  }

  private StepFileException refused(String frontMatter) throws Exception {
    Path file = tmp.resolve("04-some-step.md");
    Files.writeString(file, "---\n" + frontMatter + "---\n# Body\n");
    return assertThrows(StepFileException.class, () -> StepLoader.loadFile(file));
  }

  private StepFileException assertRefused(String frontMatter, String problem) throws Exception {
    StepFileException e = refused(frontMatter);
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    return e;
  }

  private static final String HEAD = "id: 4\ntitle: T\nbudget: 2m\n";

  @Test
  void anUnknownActionIsRefusedWithFileAndLine() throws Exception {
    StepFileException e = assertRefused(HEAD + "solve:\n  - frobnicate: {}\nchecks:\n  - workspaceCloned: {}\n",
        "04-some-step.md:6: unknown action 'frobnicate'");
    assertTrue(e.getMessage().contains("copy"), "lists the known actions: " + e.getMessage());
  }

  @Test
  void aMissingFieldOfACheckIsNamed() throws Exception {
    assertRefused(HEAD + "checks:\n  - deploymentAvailable: {namespace: default, replicas: 1}\n",
        ":6: check 'deploymentAvailable' needs the field 'name'");
  }

  @Test
  void anUnknownFieldOfAnActionIsNamed() throws Exception {
    assertRefused(HEAD + "solve:\n  - copy: {from: a, to: b, mode: fast}\nchecks:\n  - workspaceCloned: {}\n",
        ":6: action 'copy' has no field 'mode'");
  }

  @Test
  void invalidYamlGivesTheParsersLine() throws Exception {
    StepFileException e = refused(HEAD + "checks: [unclosed\n");
    assertTrue(e.getMessage().matches("(?s).*04-some-step.md:\\d+: invalid YAML.*"), e.getMessage());
  }

  @Test
  void anIdThatDoesNotMatchTheFileNameIsRefused() throws Exception {
    assertRefused("id: 5\ntitle: T\nbudget: 2m\nchecks:\n  - workspaceCloned: {}\n",
        ":2: id 5 does not match the file name's number 04");
  }

  @Test
  void aBadBudgetAndAnUnknownTopLevelFieldAreRefused() throws Exception {
    assertTrue(refused("id: 4\ntitle: T\nbudget: soon\nchecks:\n  - workspaceCloned: {}\n").getMessage().contains(":4: 'budget' must be a duration such as 90s or 3m, not 'soon'"));
    assertTrue(refused(HEAD + "chekcs: []\n").getMessage().contains(":5: unknown field 'chekcs'"));
  }

  @Test
  void aFileWithoutFrontMatterIsRefused() throws Exception {
    Path file = tmp.resolve("01-x.md");
    Files.writeString(file, "# Just text\n");
    StepFileException e = assertThrows(StepFileException.class, () -> StepLoader.loadFile(file));
    assertTrue(e.getMessage().contains("01-x.md:1: the file must start with '---'"), e.getMessage());
  }

  @Test
  void anUnknownCheckIsRefusedListingTheKnownOnes() throws Exception {
    StepFileException e = assertRefused(HEAD + "checks:\n  - podIsHappy: {name: podinfo}\n",
        ":6: unknown check 'podIsHappy' (known: ");
    assertTrue(e.getMessage().contains("deploymentAvailable") && e.getMessage().contains("fluxReady"), e.getMessage());
  }

  @Test
  void aWrongTypedFieldIsRefusedAtItsLine() throws Exception {
    assertRefused(HEAD + "checks:\n  - deploymentAvailable:\n      namespace: default\n      name: podinfo\n"
        + "      replicas: four\n", ":9: 'replicas' must be a whole number, not 'four'");
    assertRefused(HEAD + "checks:\n  - objectExists: {apiVersion: v1, kind: [Secret], name: x}\n",
        ":6: 'kind' must be a single value");
    assertRefused(HEAD + "hints: just one\nchecks:\n  - workspaceCloned: {}\n", ":5: 'hints' must be a list");
  }

  @Test
  void anActionMustBeAOneKeyMappingOfFields() throws Exception {
    assertRefused(HEAD + "solve:\n  - {push: {}, pull: {}}\nchecks:\n  - workspaceCloned: {}\n",
        ":6: each action is a one-key mapping");
    assertRefused(HEAD + "solve:\n  - commit: Add podinfo\nchecks:\n  - workspaceCloned: {}\n",
        ":6: action 'commit' takes a mapping of fields");
  }

  @Test
  void kubectlApplyTakesAFileOrInlineYamlButNotBoth() throws Exception {
    StepFileException both = refused(HEAD + "solve:\n  - kubectlApply: {file: a.yaml, yaml: 'kind: X'}\nchecks:\n  - workspaceCloned: {}\n");
    assertTrue(both.getMessage().contains(":6: action 'kubectlApply' takes either 'file' (in the workspace) or 'yaml' (inline), not both"),
        both.getMessage());
    assertRefused(HEAD + "solve:\n  - kubectlApply: {}\nchecks:\n  - workspaceCloned: {}\n", "not neither");
  }

  @Test
  void gitCommitNeedsARegularExpressionAndAKnownSince() throws Exception {
    assertRefused(HEAD + "checks:\n  - gitCommit: {pattern: 'Add (podinfo'}\n",
        ":6: 'pattern' is not a regular expression: Unclosed group");
    assertRefused(HEAD + "checks:\n  - gitCommit:\n      pattern: podinfo\n      since: yesterday\n",
        ":8: 'since' is 'step' (pushed during the step) or 'ever', not 'yesterday'");
  }

  @Test
  void fluxReadyTakesOnlyFluxKinds() throws Exception {
    assertRefused(HEAD + "checks:\n  - fluxReady: {kind: HelmRelease, namespace: flux-system, name: x}\n",
        ":6: check 'fluxReady' takes kind GitRepository or Kustomization, not HelmRelease");
  }

  @Test
  void waitTakesADuration() throws Exception {
    assertRefused(HEAD + "solve:\n  - wait: {duration: 'a while'}\nchecks:\n  - workspaceCloned: {}\n",
        ":6: 'duration' must be a duration such as 90s or 3m, not 'a while'");
  }

  @Test
  void availableIsTrueOrFalseAndAnAvailableStepNeedsAChecks() throws Exception {
    assertRefused(HEAD + "available: maybe\nchecks: []\n", ":5: 'available' must be true or false, not 'maybe'");
    assertRefused(HEAD + "checks: []\n", ":5: an available step needs at least one check");
  }

  @Test
  void aMissingRequiredFieldIsNamed() throws Exception {
    assertRefused("id: 4\nbudget: 2m\nchecks:\n  - workspaceCloned: {}\n", ":2: missing field 'title'");
  }

  @Test
  void anUnclosedFrontMatterAndABadFileNameAreRefused() throws Exception {
    Path open = tmp.resolve("03-open.md");
    Files.writeString(open, "---\nid: 3\ntitle: T\n");
    assertTrue(assertThrows(StepFileException.class, () -> StepLoader.loadFile(open)).getMessage()
        .contains("03-open.md:3: the front matter has no closing '---' line"));
    Path badName = tmp.resolve("Step3.md");
    Files.writeString(badName, "---\nid: 3\n---\n");
    assertTrue(assertThrows(StepFileException.class, () -> StepLoader.loadFile(badName)).getMessage()
        .contains("Step3.md:1: a step file is named NN-slug.md"));
  }

  @Test
  void twoFilesWithTheSameIdAreRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("steps"));
    Files.writeString(dir.resolve("01-a.md"), "---\nid: 1\ntitle: A\nbudget: 1m\nchecks:\n  - workspaceCloned: {}\n---\n# A\n");
    Files.writeString(dir.resolve("01-b.md"), "---\nid: 1\ntitle: B\nbudget: 1m\nchecks:\n  - workspaceCloned: {}\n---\n# B\n");
    StepFileException e = assertThrows(StepFileException.class, () -> StepLoader.load(dir));
    assertTrue(e.getMessage().contains("01-b.md:2: id 1 is used by another step file too"), e.getMessage());
  }

  @Test
  void theRefusalIsAUsageErrorWithAHint() throws Exception {
    StepFileException e = refused(HEAD + "checks:\n  - nope: {}\n");
    assertEquals(2, e.exitCode());
    assertTrue(e.hint().contains("front matter"), e.hint());
  }

  @Test
  void theAuthorsGuideDocumentsEveryActionAndCheckAndIsNotLoadedAsAStep() throws Exception {
    Path guide = Cli.projectRoot().resolve("steps").resolve(StepLoader.GUIDE);
    String text = Files.readString(guide);
    for (String name : Vocabulary.actionNames()) {
      assertTrue(text.contains("| `" + name + "` |"), "the guide's table of actions lists " + name);
    }
    for (String name : Vocabulary.checkNames()) {
      assertTrue(text.contains("| `" + name + "` |"), "the guide's table of checks lists " + name);
    }
    assertTrue(StepLoader.load(guide.getParent()).stream().noneMatch(s -> s.file().equals(guide)));
  }
}
