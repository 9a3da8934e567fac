package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitObserverTest {
  @TempDir Path tmp;
  LocalLab lab;

  @BeforeEach
  void start() throws Exception {
    lab = new LocalLab(tmp);
  }

  @AfterEach
  void stop() throws Exception {
    lab.close();
  }

  private RevCommit pushFrom(Git clone, String file) throws Exception {
    Files.writeString(clone.getRepository().getWorkTree().toPath().resolve(file), file);
    clone.add().addFilepattern(file).call();
    RevCommit c = clone.commit().setMessage("add " + file).setAuthor("other", "other@example.org")
        .setCommitter("other", "other@example.org").setSign(false).call();
    clone.push().call();
    return c;
  }

  @Test
  void outsideALookEveryAskSeesThePushesBeforeIt() throws Exception {
    GitObserver git = lab.context().git();
    try (Git other = lab.otherClone("other")) {
      RevCommit before = git.head();
      RevCommit pushed = pushFrom(other, "a.txt");
      assertNotEquals(before, pushed);
      assertEquals(pushed, git.head());
      assertEquals("a.txt", git.read("a.txt").orElseThrow());
    }
  }

  @Test
  void oneLookReadsMainOnceSoItsChecksAgreeOnOneCommit() throws Exception {
    GitObserver git = lab.context().git();
    try (Git other = lab.otherClone("other")) {
      RevCommit[] seen = git.oneLook(() -> {
        try {
          RevCommit first = git.head();
          pushFrom(other, "b.txt"); // main moves while the look goes on
          return new RevCommit[] {first, git.head(), git.oneLook(() -> head(git))};
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertEquals(seen[0], seen[1], "a second check in the same look reads the same commit");
      assertEquals(seen[0], seen[2], "a look inside a look shares it");
      assertEquals("b.txt", git.read("b.txt").orElseThrow(), "after the look, the next ask fetches and sees the push");
    }
  }

  private static RevCommit head(GitObserver git) {
    try {
      return git.head();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
