package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.lab.ProjectContent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkshopSeedTest {
  static final String URL = "http://127.0.0.1:1234/workshop.git";
  @TempDir Path temp;
  ProjectContent project;
  byte[] binary = {0, 1, 2, '$', '{', 0};

  @BeforeEach
  void project() throws Exception {
    Path root = temp.resolve("project");
    Files.createDirectories(root.resolve("examples/nested"));
    Files.writeString(root.resolve("examples/podinfo-dep.yaml"), "kind: Deployment\n");
    Files.writeString(root.resolve("examples/nested/svc.yaml"), "url: ${WORKSHOP_GIT_URL}\n");
    Files.createDirectories(root.resolve("flux"));
    Files.writeString(root.resolve("flux/sync.yaml"), "spec:\n  url: ${WORKSHOP_GIT_URL}\n");
    Files.write(root.resolve("flux/logo.bin"), binary);
    project = ProjectContent.at(root);
  }

  @Test
  void seedsExamplesFluxWithTheUrlAnEmptyDeployFolderAndAReadme() throws Exception {
    Map<String, byte[]> files = new WorkshopSeed(project, URL).files();
    assertEquals(
        java.util.List.of("README.md", "deploy/kubernetes/.gitkeep", "examples/nested/svc.yaml",
            "examples/podinfo-dep.yaml", "flux/logo.bin", "flux/sync.yaml"),
        java.util.List.copyOf(files.keySet()));
    assertEquals("spec:\n  url: " + URL + "\n", text(files.get("flux/sync.yaml")));
    assertEquals("url: ${WORKSHOP_GIT_URL}\n", text(files.get("examples/nested/svc.yaml")));
    assertArrayEquals(binary, files.get("flux/logo.bin"));
    assertTrue(text(files.get("README.md")).contains("deploy/kubernetes/"));
  }

  @Test
  void seedsWithoutAFluxFolder() throws Exception {
    Path root = temp.resolve("bare-project");
    Files.createDirectories(root.resolve("examples"));
    Map<String, byte[]> files = new WorkshopSeed(ProjectContent.at(root), URL).files();
    assertFalse(files.keySet().stream().anyMatch(f -> f.startsWith("flux/")));
    assertTrue(files.containsKey("deploy/kubernetes/.gitkeep"));
  }

  @Test
  void createsABareRepositoryOnMainWithOneCommitByTheWorkshop() throws Exception {
    Repositories repositories = new Repositories(temp.resolve("git"));
    assertTrue(repositories.ensureSeeded("workshop.git", project, URL));
    assertFalse(repositories.ensureSeeded("workshop.git", project, URL), "seeded only once");
    try (Repository repository =
            new FileRepositoryBuilder().setGitDir(repositories.path("workshop.git").toFile()).build();
        RevWalk walk = new RevWalk(repository)) {
      assertTrue(repository.isBare());
      assertEquals("refs/heads/main", repository.exactRef("HEAD").getTarget().getName());
      RevCommit commit = walk.parseCommit(repository.resolve("refs/heads/main"));
      assertEquals(0, commit.getParentCount());
      assertEquals("gitops-workshop", commit.getAuthorIdent().getName());
      try (TreeWalk tree = TreeWalk.forPath(repository, "deploy/kubernetes/.gitkeep", commit.getTree())) {
        assertTrue(tree != null);
      }
      assertTrue(repository.getConfig().getBoolean("receive", "denyNonFastForwards", false));
    }
    assertFalse(Files.exists(temp.resolve("git/.workshop.git.new")));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
