package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.sync.source.GitReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of {@code spec.ref}, fetched by JGit from a real repository (over the file transport
 * here; GitOps ITs fetch over HTTP), with Flux's revision formats and precedence.
 */
class GitFetcherRefsTest {
  @TempDir static Path tmp;
  static String url;
  static RevCommit first;
  static RevCommit second;
  static RevCommit onFeature;
  static GitFetcher fetcher;

  @BeforeAll
  static void repository() throws Exception {
    Path work = tmp.resolve("work");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
      first = commit(git, work, "v1", 1000);
      git.tag().setName("v1.0.0").setAnnotated(false).call();
      git.tag().setName("not-a-version").call();
      second = commit(git, work, "v2", 2000);
      git.tag().setName("v1.2.0").setAnnotated(true).setMessage("release 1.2.0").call();
      git.tag().setName("v2.0.0-rc.1").call();
      git.checkout().setCreateBranch(true).setName("feature/x").call();
      onFeature = commit(git, work, "feature", 3000);
      git.checkout().setName("main").call();
    }
    url = work.resolve(".git").toUri().toString();
    fetcher = new GitFetcher(Files.createDirectories(tmp.resolve("cache")));
  }

  static RevCommit commit(Git git, Path work, String content, long seconds) throws Exception {
    Files.writeString(work.resolve("app.yaml"), "version: " + content + "\n");
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("t", "t@example.com", seconds * 1000, 0);
    return git.commit().setMessage(content).setAuthor(who).setCommitter(who).call();
  }

  static GitFetcher.Checkout fetch(String ref) throws Exception {
    return fetcher.fetch(url, GitReference.of(Mappers.JSON.readTree(ref)), null, 10);
  }

  static String content(GitFetcher.Checkout a) {
    return new String(a.files().get("app.yaml")).strip();
  }

  @Test
  void aRevisionFetchedAgainIsNotReadAgain_anotherIsRead() throws Exception {
    GitFetcher.Checkout a = fetch("{\"tag\": \"v1.0.0\"}");
    assertSame(a, fetch("{\"tag\": \"v1.0.0\"}"), "the same commit through the same ref: what was read last time");
    GitFetcher.Checkout byCommit = fetch("{\"commit\": \"" + first.name() + "\"}");
    assertNotSame(a, byCommit, "another revision (a bare commit's)");
    assertEquals("version: v1", content(byCommit));
    assertEquals("version: v2", content(fetch("{\"tag\": \"v1.2.0\"}")));
  }

  @Test
  void aBranchIsItsHeadAsBranchAtSha() throws Exception {
    assertEquals("main@sha1:" + second.name(), fetch("{\"branch\": \"main\"}").revision());
    assertEquals("feature/x@sha1:" + onFeature.name(), fetch("{\"branch\": \"feature/x\"}").revision());
  }

  @Test
  void aTagWinsOverABranchAndAnAnnotatedTagIsPeeled() throws Exception {
    GitFetcher.Checkout a = fetch("{\"branch\": \"main\", \"tag\": \"v1.0.0\"}");
    assertEquals("v1.0.0@sha1:" + first.name(), a.revision());
    assertEquals("version: v1", content(a));
    assertEquals("v1.2.0@sha1:" + second.name(), fetch("{\"tag\": \"v1.2.0\"}").revision());
  }

  @Test
  void semverPicksTheHighestMatchingReleaseTag() throws Exception {
    assertEquals("v1.2.0@sha1:" + second.name(), fetch("{\"semver\": \">=1.0.0\"}").revision());
    assertEquals("v1.0.0@sha1:" + first.name(), fetch("{\"semver\": \"~1.0\"}").revision());
    assertEquals("v2.0.0-rc.1@sha1:" + second.name(), fetch("{\"semver\": \">=2.0.0-0\"}").revision());
  }

  @Test
  void aTagWinsOverSemverAsInFluxsCheckout() throws Exception {
    assertEquals("v1.0.0@sha1:" + first.name(), fetch("{\"tag\": \"v1.0.0\", \"semver\": \">=1.0.0\"}").revision());
  }

  @Test
  void aRefNameKeepsTheFullRef() throws Exception {
    assertEquals("refs/heads/main@sha1:" + second.name(), fetch("{\"name\": \"refs/heads/main\"}").revision());
    assertEquals("refs/tags/v1.0.0@sha1:" + first.name(), fetch("{\"name\": \"refs/tags/v1.0.0\", \"branch\": \"main\"}").revision());
  }

  @Test
  void aCommitIsShaOnlyOrBranchAtShaAndMustBeOnTheBranch() throws Exception {
    GitFetcher.Checkout a = fetch("{\"commit\": \"" + first.name() + "\"}");
    assertEquals("sha1:" + first.name(), a.revision());
    assertEquals("version: v1", content(a));
    assertEquals("main@sha1:" + first.name(), fetch("{\"branch\": \"main\", \"commit\": \"" + first.name() + "\"}").revision());
    GitFetcher.FetchFailure e = assertThrows(GitFetcher.FetchFailure.class,
        () -> fetch("{\"branch\": \"main\", \"commit\": \"" + onFeature.name() + "\"}"));
    assertTrue(e.getMessage().startsWith("failed to checkout and determine revision: unable to resolve commit object for '"
        + onFeature.name() + "': object not found"), e.getMessage());
  }

  @Test
  void badReferencesSayWhatIsWrong() {
    String missingTag = assertThrows(GitFetcher.FetchFailure.class, () -> fetch("{\"tag\": \"v9\"}")).getMessage();
    assertTrue(missingTag.contains("the repository has no tag 'v9'"), missingTag);
    String badRange = assertThrows(GitFetcher.FetchFailure.class, () -> fetch("{\"semver\": \">=1.x.0 <\"}")).getMessage();
    assertTrue(badRange.startsWith("failed to checkout and determine revision: semver parse error: improper constraint"), badRange);
    String noMatch = assertThrows(GitFetcher.FetchFailure.class, () -> fetch("{\"semver\": \">=3.0.0\"}")).getMessage();
    assertTrue(noMatch.startsWith("failed to checkout and determine revision: no match found for semver: >=3.0.0"), noMatch);
    assertTrue(noMatch.contains("v1.0.0") && !noMatch.contains("refs/tags"), noMatch);
    String missingRef = assertThrows(GitFetcher.FetchFailure.class, () -> fetch("{\"name\": \"refs/pull/1/head\"}")).getMessage();
    assertTrue(missingRef.contains("unable to resolve ref 'refs/pull/1/head' to a specific commit"), missingRef);
    assertFalse(missingRef.contains("master"), missingRef);
  }
}
