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
    assertTrue(steps.subList(0, 8).stream().allMatch(Step::available));
    assertFalse(steps.get(8).available());
    assertTrue(steps.get(4).checks().size() >= 3);
  }

  private StepFileException refused(String frontMatter) throws Exception {
    Path file = tmp.resolve("04-some-step.md");
    Files.writeString(file, "---\n" + frontMatter + "---\n# Body\n");
    return assertThrows(StepFileException.class, () -> StepLoader.loadFile(file));
  }

  private static final String HEAD = "id: 4\ntitle: T\nbudget: 2m\n";

  @Test
  void anUnknownActionIsRefusedWithFileAndLine() throws Exception {
    StepFileException e = refused(HEAD + "solve:\n  - frobnicate: {}\nchecks:\n  - workspaceCloned: {}\n");
    assertTrue(e.getMessage().contains("04-some-step.md:6: unknown action 'frobnicate'"), e.getMessage());
    assertTrue(e.getMessage().contains("copy"), "lists the known actions: " + e.getMessage());
  }

  @Test
  void aMissingFieldOfACheckIsNamed() throws Exception {
    StepFileException e = refused(HEAD + "checks:\n  - deploymentAvailable: {namespace: default, name: podinfo}\n");
    assertTrue(e.getMessage().contains(":6: check 'deploymentAvailable' needs the field 'replicas'"), e.getMessage());
  }

  @Test
  void anUnknownFieldOfAnActionIsNamed() throws Exception {
    StepFileException e = refused(HEAD + "solve:\n  - copy: {from: a, to: b, mode: fast}\nchecks:\n  - workspaceCloned: {}\n");
    assertTrue(e.getMessage().contains(":6: action 'copy' has no field 'mode'"), e.getMessage());
  }

  @Test
  void invalidYamlGivesTheParsersLine() throws Exception {
    StepFileException e = refused(HEAD + "checks: [unclosed\n");
    assertTrue(e.getMessage().matches("(?s).*04-some-step.md:\\d+: invalid YAML.*"), e.getMessage());
  }

  @Test
  void anIdThatDoesNotMatchTheFileNameIsRefused() throws Exception {
    StepFileException e = refused("id: 5\ntitle: T\nbudget: 2m\nchecks:\n  - workspaceCloned: {}\n");
    assertTrue(e.getMessage().contains(":2: id 5 does not match the file name's number 04"), e.getMessage());
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
}
