package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;

/** JGit's failures, as the participant reads them on the GitRepository: what went wrong, what to check. */
class GitFetcherTest {
  static final String URL = "http://127.0.0.1:8080/workshop.git";

  static GitFetcher.FetchFailure classify(Exception e) {
    return GitFetcher.classify(URL, "main", e);
  }

  @Test
  void aRefusedPasswordIsAnAuthenticationFailure() {
    var f = classify(new TransportException(URL + ": not authorized"));
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
  void anythingElseKeepsJGitsWords() {
    var f = classify(new IllegalStateException("disk full"));
    assertTrue(f.getMessage().endsWith("'" + URL + "': disk full"), f.getMessage());
  }
}
