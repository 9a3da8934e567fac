package dev.gitopsworkshop.sync.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Urls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automation's Git stage against the lab's Git server and a participant using the real git
 * CLI: a marked line rewritten and pushed with the operator's account; a participant's push that
 * lands between the automation's commit and its push is kept, and the automation's change is made
 * again on top of it.
 */
class GitUpdateIT {
  private static final String FILE = "deploy/kubernetes/podinfo-dep.yaml";
  private static final Map<String, Setters.Ref> POLICY = Map.of("flux-system:podinfo", new Setters.Ref("ghcr.io/stefanprodan/podinfo", "6.5.4"));
  @TempDir Path tmp;
  private GitServer server;
  private Cli cli;
  private String url;
  private Path clone;

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    server = GitServer.start(new GitServer.Options(DataDir.at(tmp.resolve("data")), "127.0.0.1", null, GitServer.DEFAULT_MAX_PUSH_BYTES,
        ProjectContent.at(Cli.projectRoot()), null));
    url = server.repositoryUrl("workshop.git");
    String participant = Urls.withCredentials(url, server.participant().username(), server.participant().password());
    cli.git(tmp, "clone", "-q", participant, "clone").ok();
    clone = tmp.resolve("clone");
    cli.git(clone, "config", "user.name", "Participant").ok();
    cli.git(clone, "config", "user.email", "p@example.com").ok();
    Files.copy(clone.resolve("examples/podinfo-dep.yaml"), clone.resolve(FILE));
    String marked = Files.readString(clone.resolve(FILE)).replace("podinfo:6.5.0", "podinfo:6.5.0 # {\"$imagepolicy\": \"flux-system:podinfo\"}");
    Files.writeString(clone.resolve(FILE), marked);
    cli.git(clone, "add", ".").ok();
    cli.git(clone, "commit", "-q", "-m", "Add podinfo, marked").ok();
    cli.git(clone, "push", "-q").ok();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private GitUpdate.Outcome update(GitUpdate git) throws Exception {
    return git.run(url, "main", "main",
        new UsernamePasswordCredentialsProvider(server.operator().username(), server.operator().password()),
        new PersonIdent("fluxcdbot", "fluxcdbot@users.noreply.github.com"),
        changes -> "Update image", worktree -> {
          Path f = worktree.resolve(FILE);
          Setters.Result r = Setters.apply(FILE, Files.readString(f), POLICY);
          Files.writeString(f, r.content());
          return r.changes();
        }, 10);
  }

  @Test
  void aRacingParticipantPushIsKeptAndTheAutomationRebasesOnIt() throws Exception {
    AtomicInteger pushesBeforeOurs = new AtomicInteger();
    GitUpdate racing = new GitUpdate(tmp.resolve("work"), () -> {
      if (pushesBeforeOurs.getAndIncrement() == 0) {
        try {
          Files.writeString(clone.resolve("deploy/kubernetes/notes.txt"), "a participant's change\n");
          cli.git(clone, "add", ".").ok();
          cli.git(clone, "commit", "-q", "-m", "A participant's change").ok();
          cli.git(clone, "push", "-q").ok();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    GitUpdate.Outcome outcome = update(racing);
    assertEquals(2, outcome.attempts(), "the first push was refused as not fast-forward");

    cli.git(clone, "pull", "-q").ok();
    List<String> log = cli.git(clone, "log", "--format=%an: %s").ok().out().lines().toList();
    assertEquals(List.of("fluxcdbot: Update image", "Participant: A participant's change", "Participant: Add podinfo, marked"), log.subList(0, 3));
    String diff = cli.git(clone, "show", "--format=", "HEAD").ok().out();
    assertTrue(diff.contains("-          image: ghcr.io/stefanprodan/podinfo:6.5.0 #") && diff.contains("+          image: ghcr.io/stefanprodan/podinfo:6.5.4 #"), diff);
    assertEquals(2, diff.lines().filter(l -> l.startsWith("-") || l.startsWith("+")).filter(l -> !l.startsWith("---") && !l.startsWith("+++")).count(),
        "only the tag's line changed: " + diff);
    assertEquals("a participant's change\n", Files.readString(clone.resolve("deploy/kubernetes/notes.txt")));
  }

  @Test
  void nothingToChangeMeansNoCommit() throws Exception {
    update(new GitUpdate(tmp.resolve("work")));
    String head = cli.git(clone, "ls-remote", "origin", "main").ok().out();
    GitUpdate.Outcome again = update(new GitUpdate(tmp.resolve("work")));
    assertNull(again.pushedCommit());
    assertEquals(head, cli.git(clone, "ls-remote", "origin", "main").ok().out());
  }

  @Test
  void theParticipantsAccountCannotPushForTheOperatorSoTheAutomationSaysWhy() {
    GitUpdate git = new GitUpdate(tmp.resolve("work"));
    GitUpdate.GitFailure e = assertThrows(GitUpdate.GitFailure.class, () -> git.run(url, "main", "main",
        new UsernamePasswordCredentialsProvider(server.operator().username(), "wrong"),
        new PersonIdent("fluxcdbot", "f@example.com"), changes -> "x", worktree -> List.of(), 10));
    assertTrue(e.getMessage().contains("authentication") || e.getMessage().contains("refused"), e.getMessage());
  }
}
