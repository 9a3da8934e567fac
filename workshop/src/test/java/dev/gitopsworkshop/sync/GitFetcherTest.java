package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.transport.URIish;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JGit's failures, as the participant reads them on the GitRepository: what went wrong, what to check. */
class GitFetcherTest {
  static final String URL = "http://127.0.0.1:8080/workshop.git";

  static GitFetcher.FetchFailure classify(Exception e) {
    return GitFetcher.classify(URL, "main", e, 0);
  }

  @Test
  void aRefusedPasswordIsAnAuthenticationFailure() {
    var f = GitFetcher.classify(URL, "main", new TransportException(URL + ": not authorized"), 401);
    assertEquals("AuthenticationFailed", f.reason);
    assertTrue(f.getMessage().startsWith("failed to checkout and determine revision: unable to clone '" + URL + "': "), f.getMessage());
    assertTrue(f.getMessage().contains("HTTP 401"), f.getMessage());
  }

  @Test
  void anUnknownRepositoryPointsAtTheUrl() throws Exception {
    var f = classify(new InvalidRemoteException("Invalid remote: " + URL,
        new NoRemoteRepositoryException(new URIish(URL), "Git repository not found")));
    assertEquals("GitOperationFailed", f.reason);
    assertTrue(f.getMessage().endsWith("repository not found (HTTP 404): check spec.url"), f.getMessage());
  }

  @Test
  void aMissingBranchIsNamed() {
    var f = classify(new TransportException("Remote does not have refs/heads/main available for fetch."));
    assertTrue(f.getMessage().contains("the repository has no branch 'main'"), f.getMessage());
  }

  @Test
  void aServerThatDoesNotAnswerIsSaidSo() {
    var f = classify(new TransportException(URL + ": cannot open git-upload-pack", new ConnectException("Connection refused")));
    assertEquals("GitOperationFailed", f.reason);
    assertTrue(f.getMessage().contains("cannot reach the Git server: Connection refused"), f.getMessage());
  }

  @Test
  void aForbiddenRepositoryIsAnAuthenticationFailureToo() {
    var f = GitFetcher.classify(URL, "main", new TransportException(URL + ": git-upload-pack not permitted"), 403);
    assertEquals("AuthenticationFailed", f.reason);
    assertTrue(f.getMessage().contains("HTTP 403"), f.getMessage());
  }

  @Test
  void aRefusedConnectionIsNotAPasswordProblemWhateverTheUrlSays(@TempDir Path cache) throws Exception {
    // a port whose digits read 401: the message holds the URL, and the URL held "401"
    int port = java.util.stream.IntStream.of(44010, 34010, 24010, 14010, 40100, 40101).filter(GitFetcherTest::free).findFirst()
        .orElseThrow(() -> new org.opentest4j.TestAbortedException("no free port with 401 in it"));
    String url = "http://127.0.0.1:" + port + "/workshop.git";
    var f = assertThrows(GitFetcher.FetchFailure.class, () -> new GitFetcher(cache).fetch(url, dev.gitopsworkshop.sync.source.GitReference.branch("main"), null, 5));
    assertEquals("GitOperationFailed", f.reason, f.getMessage());
    assertTrue(f.getMessage().contains("cannot reach the Git server"), f.getMessage());
    assertFalse(f.getMessage().contains("password"), f.getMessage());
  }

  @Test
  void theCacheIsPackedAsGitDoesOnceFetchesPileUpPacks(@TempDir Path tmp) throws Exception {
    Path origin = tmp.resolve("origin");
    Path cache = tmp.resolve("cache");
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setInitialBranch("main").setDirectory(origin.toFile()).call();
        GitFetcher fetcher = new GitFetcher(cache)) {
      String revision = null;
      for (int i = 0; i < dev.gitopsworkshop.git.AutoGc.PACK_LIMIT + 2; i++) { // each fetch leaves a pack
        java.nio.file.Files.writeString(origin.resolve("n.txt"), "commit " + i);
        git.add().addFilepattern("n.txt").call();
        String id = git.commit().setMessage("commit " + i).setSign(false).call().name();
        revision = fetcher.fetch(origin.toUri().toString(), dev.gitopsworkshop.sync.source.GitReference.branch("main"), null, 10).revision();
        assertEquals("main@sha1:" + id, revision);
      }
      Path cached;
      try (var dirs = java.nio.file.Files.list(cache)) {
        cached = dirs.findFirst().orElseThrow();
      }
      org.awaitility.Awaitility.await("cache packed").atMost(java.time.Duration.ofSeconds(30)).until(() -> packs(cached) <= 3);
      String last = revision.substring(revision.indexOf(':') + 1);
      try (org.eclipse.jgit.lib.Repository repo = new org.eclipse.jgit.internal.storage.file.FileRepository(cached.toFile());
          org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
        walk.markStart(walk.parseCommit(org.eclipse.jgit.lib.ObjectId.fromString(last)));
        int commits = 0;
        for (var c : walk) {
          walk.parseBody(c);
          commits++;
        }
        assertEquals(dev.gitopsworkshop.git.AutoGc.PACK_LIMIT + 2, commits, "every fetched commit is still there");
      }
    }
  }

  private static long packs(Path gitDir) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(gitDir.resolve("objects/pack"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pack")).count();
    }
  }

  private static boolean free(int port) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void anythingElseKeepsJGitsWords() {
    var f = classify(new IllegalStateException("disk full"));
    assertTrue(f.getMessage().endsWith("'" + URL + "': disk full"), f.getMessage());
  }
}
