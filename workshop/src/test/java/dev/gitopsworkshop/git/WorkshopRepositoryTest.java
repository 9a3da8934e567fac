package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.ProjectContent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkshopRepositoryTest {
  static final String URL = "http://127.0.0.1:1234/workshop.git";
  @TempDir Path tmp;
  ProjectContent project;
  final byte[] binary = {0, 1, 2, '$', '{', 0};

  @BeforeEach
  void project() throws Exception {
    Path root = tmp.resolve("project");
    Files.createDirectories(root.resolve("examples/nested"));
    Files.writeString(root.resolve("examples/podinfo-dep.yaml"), "kind: Deployment\n");
    Files.writeString(root.resolve("examples/nested/note.yaml"), "url: ${WORKSHOP_GIT_URL}\n");
    Files.createDirectories(root.resolve("flux"));
    Files.writeString(root.resolve("flux/sync.yaml"), "spec:\n  url: ${WORKSHOP_GIT_URL}\n");
    Files.write(root.resolve("flux/logo.bin"), binary);
    project = ProjectContent.at(root);
  }

  @Test
  void seedsExamplesFluxWithTheClusterUrlAnEmptyDeployFolderAndAReadme() throws Exception {
    Map<String, byte[]> files = WorkshopRepository.files(project, URL);
    assertEquals(
        List.of("README.md", "deploy/kubernetes/.gitkeep", "examples/nested/note.yaml",
            "examples/podinfo-dep.yaml", "flux/logo.bin", "flux/sync.yaml"),
        List.copyOf(files.keySet()));
    assertEquals("spec:\n  url: " + URL + "\n", text(files.get("flux/sync.yaml")));
    assertEquals("url: ${WORKSHOP_GIT_URL}\n", text(files.get("examples/nested/note.yaml")));
    assertArrayEquals(binary, files.get("flux/logo.bin"));
    assertTrue(text(files.get("README.md")).contains("deploy/kubernetes"));
  }

  @Test
  void seedsWithoutAFluxFolder() throws Exception {
    Path root = tmp.resolve("bare-project");
    Files.createDirectories(root.resolve("examples"));
    Map<String, byte[]> files = WorkshopRepository.files(ProjectContent.at(root), URL);
    assertFalse(files.keySet().stream().anyMatch(f -> f.startsWith("flux/")));
    assertTrue(files.containsKey("deploy/kubernetes/.gitkeep"));
  }

  @Test
  void createsABareRepositoryOnMainWithOneCommitByTheWorkshopOnce() throws Exception {
    Path bare = tmp.resolve("git/workshop.git");
    Files.createDirectories(bare.getParent());
    WorkshopRepository.createIfMissing(bare, project, URL);
    String first = Files.readString(bare.resolve("refs/heads/main"));
    WorkshopRepository.createIfMissing(bare, project, URL);
    assertEquals(first, Files.readString(bare.resolve("refs/heads/main")), "seeded only once");
    try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
        RevWalk walk = new RevWalk(repository)) {
      assertTrue(repository.isBare());
      assertEquals("refs/heads/main", repository.exactRef("HEAD").getTarget().getName());
      RevCommit commit = walk.parseCommit(repository.resolve("refs/heads/main"));
      assertEquals(0, commit.getParentCount());
      assertEquals("gitops-workshop", commit.getAuthorIdent().getName());
      try (TreeWalk tree = TreeWalk.forPath(repository, "deploy/kubernetes/.gitkeep", commit.getTree())) {
        assertNotNull(tree);
      }
      assertTrue(repository.getConfig().getBoolean("receive", "denyNonFastForwards", false));
    }
    try (var siblings = Files.list(bare.getParent())) {
      assertEquals(List.of(bare), siblings.toList(), "no half-built repository left beside it");
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
