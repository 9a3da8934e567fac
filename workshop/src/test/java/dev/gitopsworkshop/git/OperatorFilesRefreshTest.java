package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.ProjectContent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab keeps its own files in the workshop repository in step with how it runs: Flux's install
 * manifest and the Git URL the cluster uses, in one commit by the lab, only when they differ, and
 * never over a participant's own change to a file.
 */
class OperatorFilesRefreshTest {
  static final String HOST_URL = "http://127.0.0.1:1234/workshop.git";
  static final String K3S_URL = "http://host.testcontainers.internal:1234/workshop.git";
  @TempDir Path tmp;
  ProjectContent project;
  Path bare;

  @BeforeEach
  void seed() throws Exception {
    Path root = tmp.resolve("project");
    Files.createDirectories(root.resolve("examples"));
    Files.createDirectories(root.resolve("flux"));
    Files.writeString(root.resolve("flux/install.yaml"), "kind: Namespace\n");
    Files.writeString(root.resolve("flux/source.yaml"), "spec:\n  url: ${WORKSHOP_GIT_URL}\n  interval: 1m\n");
    project = ProjectContent.at(root);
    bare = tmp.resolve("git/workshop.git");
    Files.createDirectories(bare.getParent());
    WorkshopRepository.createIfMissing(bare, project, HOST_URL);
  }

  @Test
  void nothingDiffersNothingIsCommitted() throws Exception {
    String before = head();
    assertEquals(List.of(), WorkshopRepository.refreshOperatorFiles(bare, project, HOST_URL, null));
    assertEquals(before, head());
  }

  @Test
  void anotherClusterUrlAndAnotherManifestAreOneCommitByTheLab() throws Exception {
    Path manifest = Files.writeString(tmp.resolve("release.yaml"), "kind: Namespace\n# the release\n");
    List<String> changed = WorkshopRepository.refreshOperatorFiles(bare, project, K3S_URL, manifest);
    assertEquals(List.of("flux/install.yaml", "flux/source.yaml"), changed);
    assertEquals("spec:\n  url: " + K3S_URL + "\n  interval: 1m\n", file("flux/source.yaml"));
    assertEquals("kind: Namespace\n# the release\n", file("flux/install.yaml"));
    try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(repo.resolve("refs/heads/main"));
      assertEquals("gitops-workshop", commit.getAuthorIdent().getName());
      assertEquals(1, commit.getParentCount(), "on top of the history, not instead of it");
    }
    assertEquals(List.of(), WorkshopRepository.refreshOperatorFiles(bare, project, K3S_URL, manifest), "the second start has nothing to do");
  }

  @Test
  void aTemplateSomeoneChangedBeyondItsUrlIsLeftAlone() throws Exception {
    Path work = tmp.resolve("work");
    try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(work.toFile()).call()) {
      Files.writeString(work.resolve("flux/source.yaml"), "spec:\n  url: " + HOST_URL + "\n  interval: 5m\n");
      git.commit().setAll(true).setMessage("Poll less").setAuthor("P", "p@example.com").setCommitter("P", "p@example.com").call();
      git.push().call();
    }
    assertEquals(List.of(), WorkshopRepository.refreshOperatorFiles(bare, project, K3S_URL, null));
    assertTrue(file("flux/source.yaml").contains("interval: 5m"));
  }

  private Repository open() throws Exception {
    return new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
  }

  private String head() throws Exception {
    try (Repository repo = open()) {
      return repo.resolve("refs/heads/main").name();
    }
  }

  private String file(String path) throws Exception {
    try (Repository repo = open(); RevWalk walk = new RevWalk(repo);
        TreeWalk tree = TreeWalk.forPath(repo, path, walk.parseCommit(repo.resolve("refs/heads/main")).getTree())) {
      return new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

}
