package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import org.junit.jupiter.api.Test;

class GitRemoteTest {
  private static String refusal(String url, String user, String password) {
    WorkshopException e = assertThrows(WorkshopException.class, () -> GitRemote.of(url, user, password));
    assertEquals(WorkshopException.USAGE, e.exitCode());
    assertFalse((e.getMessage() + e.hint()).contains("s3cret"), "the password is never in a message");
    return e.getMessage();
  }

  @Test
  void takesAnHttpsRepositoryUrlAsTheHostShowsIt() {
    GitRemote r = GitRemote.of(" https://git.example.com/you/gitops-workshop.git/ ", "you", "s3cret");
    assertEquals("https://git.example.com/you/gitops-workshop.git", r.url());
    assertEquals("git.example.com", r.host());
    assertFalse(r.toString().contains("s3cret"));
    assertEquals("127.0.0.1:8080", GitRemote.of("http://127.0.0.1:8080/alice.git", "alice", "s3cret").host());
  }

  @Test
  void refusesWhatFluxCannotUseOrWouldShowThePassword() {
    assertTrue(refusal("ssh://git@git.example.com/you/w.git", "you", "s3cret").contains("takes an http(s) URL"));
    assertTrue(refusal("git@git.example.com:you/w.git", "you", "s3cret").contains("scp-style"));
    assertTrue(refusal("git://git.example.com/w.git", "you", "s3cret").contains("git://"));
    assertTrue(refusal("https://you:s3cret@git.example.com/you/w.git", "you", "s3cret").contains("carries a name or password"));
    assertTrue(refusal("https://git.example.com/", "you", "s3cret").contains("names a host but no repository"));
    assertTrue(refusal("https://git.example.com/w.git?ref=main", "you", "s3cret").contains("query or fragment"));
    assertTrue(refusal("not a url at all", "you", "s3cret").contains("is not"));
    assertTrue(refusal("https://you:s3cret@git.example.com/a b.git", "you", "s3cret").contains("https://…@git.example.com/a b.git"));
    assertTrue(refusal("https://git.example.com/w.git", null, "s3cret").contains("--git-username is missing"));
    assertTrue(refusal("https://git.example.com/w.git", "you", null).contains("password or token is missing"));
  }
}
