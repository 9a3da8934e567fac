package dev.gitopsworkshop.tutorial.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.tutorial.LocalLab;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.checks.GitChecks;
import dev.gitopsworkshop.tutorial.model.Action;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import dev.gitopsworkshop.tutorial.model.StepMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The solve actions and Git checks against a local repository playing the lab's Git server. */
class GitAndFileActionsTest {
  private static final String PODINFO = "deploy/kubernetes/podinfo-dep.yaml";
  @TempDir Path tmp;
  LocalLab lab;
  TutorialContext c;

  @BeforeEach
  void setUp() throws Exception {
    lab = new LocalLab(tmp);
    c = lab.context();
  }

  @AfterEach
  void tearDown() throws Exception {
    lab.close();
  }

  private void run(Action... actions) throws Exception {
    for (Action a : actions) {
      a.run(c);
    }
  }

  @Test
  void cloneMakesTheWorkspaceThatWorkspaceClonedLooksFor() throws Exception {
    CheckResult before = new GitChecks.WorkspaceCloned().evaluate(c);
    assertFalse(before.passed());
    assertTrue(before.observed().contains("no clone"), before.observed());
    run(new GitActions.Clone());
    assertTrue(new GitChecks.WorkspaceCloned().evaluate(c).passed());
    run(new GitActions.Clone());
    assertTrue(Files.isRegularFile(c.workspace().resolve("examples/podinfo-dep.yaml")), "a second clone just pulls");
  }

  @Test
  void copyCommitAndPushPutTheFileOnMainAndTheCommitIsSeenSinceTheStepBegan() throws Exception {
    run(new GitActions.Clone());
    GitChecks.GitCommit commit = new GitChecks.GitCommit(Pattern.compile("(?i)add podinfo"), true);
    assertEquals("the step has not begun on this lab", commit.evaluate(c, c.progress().of(4)).observed());
    StepMemory step = c.progress().begin(4);
    commit.begin(c, step);
    GitChecks.GitFileExists onMain = new GitChecks.GitFileExists(PODINFO);
    assertFalse(onMain.evaluate(c).passed());
    assertEquals("no new commits on main", commit.evaluate(c, step).observed());

    run(new FileActions.Copy("examples/podinfo-dep.yaml", PODINFO), new GitActions.Commit("Add podinfo"));
    assertFalse(onMain.evaluate(c).passed(), "committed but not pushed is not on main");
    run(new GitActions.Push());
    assertTrue(onMain.evaluate(c).passed());
    assertTrue(commit.evaluate(c, step).passed(), commit.evaluate(c, step).toString());

    StepMemory later = c.progress().begin(4);
    commit.begin(c, later);
    CheckResult again = commit.evaluate(c, later);
    assertFalse(again.passed(), "the old commit does not count for a step that begins later");
    assertTrue(new GitChecks.GitCommit(Pattern.compile("Add podinfo"), false).evaluate(c, StepMemory.NONE).passed(), "since: ever finds it");
  }

  @Test
  void replaceTextDescribesItselfAsASedCommandThatMakesTheSameEdit() throws Exception {
    run(new GitActions.Clone());
    Path original = c.workspace().resolve("examples/podinfo-dep.yaml");
    Files.copy(original, c.workspace().resolve("by-action.yaml"));
    Files.copy(original, c.workspace().resolve("by-sed.yaml"));
    String from = "image: ghcr.io/stefanprodan/podinfo:6.5.0";
    String to = from + " # {\"$imagepolicy\": \"flux-system:podinfo\"} & [a.b]\\1";
    run(new FileActions.ReplaceText("by-action.yaml", from, to));
    String sed = new FileActions.ReplaceText("by-sed.yaml", from, to).describe();
    Process p = new ProcessBuilder("bash", "-c", sed).directory(c.workspace().toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), sed + ": " + output);
    assertEquals(Files.readString(c.workspace().resolve("by-action.yaml")), Files.readString(c.workspace().resolve("by-sed.yaml")), sed);
  }

  @Test
  void commitWithNothingChangedIsNotAnError() throws Exception {
    run(new GitActions.Clone(), new GitActions.Commit("nothing"), new GitActions.Push());
    try (Git git = Git.open(c.workspace().toFile())) {
      assertEquals("The workshop repository", git.log().setMaxCount(1).call().iterator().next().getShortMessage());
    }
  }

  @Test
  void removeFileIsCommittedAsADeletion() throws Exception {
    run(new GitActions.Clone(), new FileActions.Copy("examples/podinfo-dep.yaml", PODINFO), new GitActions.Commit("Add"),
        new GitActions.Push(), new FileActions.RemoveFile(PODINFO), new GitActions.Commit("Remove"), new GitActions.Push());
    assertFalse(new GitChecks.GitFileExists(PODINFO).evaluate(c).passed());
  }

  @Test
  void setFieldChangesOneValueAndKeepsTheComment() throws Exception {
    run(new GitActions.Clone(), new FileActions.SetField("examples/podinfo-dep.yaml", "spec.replicas", "4"));
    String text = Files.readString(c.workspace().resolve("examples/podinfo-dep.yaml"));
    assertTrue(text.contains("  replicas: 4 # one to start with"), text);
    assertTrue(text.contains("name: podinfo\nspec:"), "the rest is untouched: " + text);
  }

  @Test
  void setFieldOnAMissingPathSaysWhichField() throws Exception {
    run(new GitActions.Clone());
    WorkshopException e = assertThrows(WorkshopException.class,
        () -> run(new FileActions.SetField("examples/podinfo-dep.yaml", "spec.paused", "true")));
    assertEquals("examples/podinfo-dep.yaml has no field spec.paused", e.getMessage());
  }

  @Test
  void setFieldFindsANestedKeyOnlyUnderItsParent() throws Exception {
    run(new GitActions.Clone(), new FileActions.SetField("examples/podinfo-dep.yaml", "metadata.name", "web"));
    String text = Files.readString(c.workspace().resolve("examples/podinfo-dep.yaml"));
    assertTrue(text.contains("metadata:\n  name: web\n"), text);
    assertTrue(text.contains("- name: podinfo"), "the container's name is another field: " + text);
  }

  @Test
  void replaceTextRefusesATextThatIsNotThere() throws Exception {
    run(new GitActions.Clone(), new FileActions.ReplaceText("examples/podinfo-dep.yaml", "6.5.0", "6.5.1"));
    assertTrue(Files.readString(c.workspace().resolve("examples/podinfo-dep.yaml")).contains("podinfo:6.5.1"));
    WorkshopException e = assertThrows(WorkshopException.class,
        () -> run(new FileActions.ReplaceText("examples/podinfo-dep.yaml", "6.5.0", "6.5.1")));
    assertTrue(e.getMessage().contains("does not contain '6.5.0'"), e.getMessage());
  }

  @Test
  void actionsBeforeTheCloneSayToDoStepZero() {
    WorkshopException copy = assertThrows(WorkshopException.class, () -> run(new FileActions.Copy("examples/podinfo-dep.yaml", PODINFO)));
    assertTrue(copy.getMessage().contains("is not in the workspace clone") && copy.hint().contains("step 0"), copy.getMessage());
    WorkshopException push = assertThrows(WorkshopException.class, () -> run(new GitActions.Push()));
    assertTrue(push.getMessage().contains("there is no clone"), push.getMessage());
  }

  @Test
  void pathsOutsideTheWorkspaceAreRefused() throws Exception {
    run(new GitActions.Clone());
    WorkshopException e = assertThrows(WorkshopException.class, () -> run(new FileActions.RemoveFile("../../outside")));
    assertTrue(e.getMessage().contains("outside the workspace"), e.getMessage());
  }

  @Test
  void aPushBehindTheServerIsRefusedThenPullRebasesAndPushes() throws Exception {
    run(new GitActions.Clone());
    try (Git other = lab.otherClone("other")) {
      Files.writeString(other.getRepository().getWorkTree().toPath().resolve("README.md"), "someone else\n");
      other.add().addFilepattern(".").call();
      other.commit().setMessage("Someone else's change").setAuthor("o", "o@example.org").setCommitter("o", "o@example.org")
          .setSign(false).call();
      other.push().call();
    }
    run(new FileActions.Copy("examples/podinfo-dep.yaml", PODINFO), new GitActions.Commit("Add podinfo"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> run(new GitActions.Push()));
    assertTrue(e.getMessage().startsWith("git push was refused"), e.getMessage());
    assertTrue(e.hint().contains("pull first"), e.hint());
    run(new GitActions.Pull(), new GitActions.Push());
    assertTrue(new GitChecks.GitFileExists(PODINFO).evaluate(c).passed());
    assertTrue(new GitChecks.GitFileExists("README.md").evaluate(c).passed());
  }

  @Test
  void removeWorkspaceUndoesTheClone() throws Exception {
    run(new GitActions.Clone(), new FileActions.RemoveWorkspace());
    assertFalse(Files.exists(c.workspace()));
    assertFalse(new GitChecks.WorkspaceCloned().evaluate(c).passed());
  }

  @Test
  void aPullThatConflictsSaysWhatToDoAndLeavesTheCloneAsItWas() throws Exception {
    run(new GitActions.Clone());
    try (Git other = lab.otherClone("other")) {
      Path file = other.getRepository().getWorkTree().toPath().resolve("examples/podinfo-dep.yaml");
      Files.writeString(file, Files.readString(file).replace("replicas: 1", "replicas: 2"));
      other.commit().setAll(true).setMessage("Two").setAuthor("o", "o@example.org").setCommitter("o", "o@example.org")
          .setSign(false).call();
      other.push().call();
    }
    run(new FileActions.SetField("examples/podinfo-dep.yaml", "spec.replicas", "3"), new GitActions.Commit("Three"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> run(new GitActions.Pull()));
    assertEquals("git pull met a conflict between your commits and main on the server", e.getMessage());
    assertTrue(e.hint().contains("git status"), e.hint());
    try (Git git = Git.open(c.workspace().toFile())) {
      assertEquals(org.eclipse.jgit.lib.RepositoryState.SAFE, git.getRepository().getRepositoryState(), "not left mid-rebase");
      assertEquals("Three", git.log().setMaxCount(1).call().iterator().next().getShortMessage());
    }
  }
}
