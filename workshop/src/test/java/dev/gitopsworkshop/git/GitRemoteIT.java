package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.GitHttpBackend;
import dev.gitopsworkshop.support.RunningLab;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --git-remote}: the lab uses a repository on another Git server, here on loopback: another
 * lab's {@code git serve}, and git's own {@code git http-backend} behind a web server.
 */
class GitRemoteIT {
  private static final String TOKEN = "t0ken-never-printed-7f3a";
  private static final String READER_TOKEN = "reader-t0ken-9b1c";
  @TempDir static Path tmp;
  static Cli cli;
  static Path repositories;
  static GitHttpBackend backend;

  @BeforeAll
  static void gitsOwnServer() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    repositories = Files.createDirectories(tmp.resolve("served"));
    cli.git(repositories, "init", "-q", "--bare", "--initial-branch=main", "empty.git").ok();
    cli.git(repositories, "init", "-q", "--bare", "--initial-branch=main", "other.git").ok();
    Path other = tmp.resolve("other");
    cli.git(tmp, "init", "-q", "--initial-branch=main", other.toString()).ok();
    Files.writeString(other.resolve("README.md"), "not the workshop\n");
    cli.git(other, "add", ".").ok();
    cli.git(other, "commit", "-q", "-m", "Something else").ok();
    cli.git(other, "push", "-q", repositories.resolve("other.git").toString(), "main").ok();
    backend = GitHttpBackend.start(repositories,
        Map.of("ada", new GitHttpBackend.User(TOKEN, true), "reader", new GitHttpBackend.User(READER_TOKEN, false)));
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  private static List<String> log(Path bare) {
    return cli.git(null, "--git-dir", bare.toString(), "log", "--format=%s", "main").ok().out().lines().toList();
  }

  @Test
  void theWholeTutorialRunsOnAnotherLabsGitServerAndTheCommitsAreThere() throws Exception {
    try (Background other = cli.start(tmp, Map.of(), cli.workshop("git", "serve", "--data-dir", tmp.resolve("other-lab").toString()))) {
      other.awaitLine("the clone line", l -> l.contains("git clone"), Duration.ofSeconds(60));
      LabFile served = LabFile.read(DataDir.at(tmp.resolve("other-lab")));
      Cli.Result r = cli.run(tmp, Map.of("WORKSHOP_GIT_TOKEN", served.gitPassword()), cli.workshop("run", "--auto", "--cluster", "embedded",
          "--data-dir", tmp.resolve("participant").toString(), "--git-remote", served.gitUrl(), "--git-username", served.gitUsername(),
          "--git-password-env", "WORKSHOP_GIT_TOKEN"));
      assertEquals(0, r.exitCode(), r.toString());
      assertFalse(r.out().contains(served.gitPassword()) || r.err().contains(served.gitPassword()), "the password is never printed\n" + r);
      List<String> commits = log(tmp.resolve("other-lab/git/workshop.git"));
      for (String message : List.of("Add podinfo", "Scale podinfo to 4", "Let the operator update podinfo's image", "Start the workshop")) {
        assertTrue(commits.contains(message), message + " in " + commits);
      }
      assertTrue(commits.stream().anyMatch(m -> m.startsWith("Update image")), "Flux's image automation pushed there too: " + commits);
    }
  }

  @Test
  void anEmptyRepositoryOnGitsHttpBackendIsFilledAndUsed() throws Exception {
    Path token = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
    try (RunningLab lab = RunningLab.up(tmp, tmp.resolve("on-backend"), "--git-remote", backend.url("empty.git"),
        "--git-username", "ada", "--git-password-file", token.toString())) {
      LabFile json = lab.lab();
      assertEquals("remote", json.get("git", "mode"));
      assertEquals(backend.url("empty.git"), json.gitUrl());
      assertEquals("ada", json.gitUsername());
      assertNull(json.get("git", "eventsUrl"), "a Git host sends no push events: the lab polls it");
      assertEquals(List.of("Start the workshop"), log(repositories.resolve("empty.git")));
      Cli.Result r = cli.run(tmp, cli.workshop("run", "--auto", "--to", "4", "--data-dir", lab.dataDir().toString()));
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(log(repositories.resolve("empty.git")).contains("Add podinfo"), log(repositories.resolve("empty.git")).toString());
    }
  }

  @Test
  void aDataDirStartedOnARemoteStartsOnItAgainWithoutTheOptionsAsThePrintedCommandsSay() throws Exception {
    cli.git(repositories, "init", "-q", "--bare", "--initial-branch=main", "again.git").ok();
    Path token = Files.writeString(tmp.resolve("again-token"), TOKEN + "\n");
    Path data = tmp.resolve("again lab");
    Cli.Result first = cli.run(tmp, cli.workshop("run", "--auto", "--to", "0", "--cluster", "embedded", "--data-dir", data.toString(),
        "--git-remote", backend.url("again.git"), "--git-username", "ada", "--git-password-file", token.toString()));
    assertEquals(0, first.exitCode(), first.toString());
    Files.delete(token); // what the participant had typed is gone; the data dir remembers
    // the lab is stopped: every command the tool prints for this data dir names only --data-dir
    Cli.Result again = cli.run(tmp, cli.workshop("run", "--auto", "--to", "4", "--cluster", "embedded", "--data-dir", data.toString()));
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.err().contains("this data dir's lab uses the Git at " + backend.url("again.git") + " as ada"), again.toString());
    assertFalse(again.out().contains(TOKEN) || again.err().contains(TOKEN), "the password is never printed\n" + again);
    assertTrue(log(repositories.resolve("again.git")).contains("Add podinfo"), log(repositories.resolve("again.git")).toString());

    Files.delete(DataDir.at(data).resolve("git-credentials"));
    Cli.Result lost = cli.run(tmp, cli.workshop("up", "--cluster", "embedded", "--data-dir", data.toString()));
    assertEquals(1, lost.exitCode(), lost.toString());
    assertTrue(lost.err().contains("no longer has its password"), lost.toString());
    assertTrue(lost.err().contains("--git-remote " + backend.url("again.git") + " --git-username ada --git-password"), lost.toString());
    assertFalse(Files.exists(data.resolve("lab.json")), "nothing started");
  }

  private record Bad(String what, List<String> args, int exit, String says) {}

  @Test
  void eachRemoteThatWillNotDoIsOneLineAndNothingStarts() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    List<Bad> cases = List.of(
        new Bad("ssh", List.of("--git-remote", "ssh://git@127.0.0.1/empty.git", "--git-username", "ada"), 2, "takes an http(s) URL"),
        new Bad("password in the URL", List.of("--git-remote", "http://ada:" + TOKEN + "@127.0.0.1:1/empty.git", "--git-username", "ada"), 2,
            "carries a name or password in its URL"),
        new Bad("no account", List.of("--git-remote", backend.url("empty.git")), 2, "--git-username is missing"),
        new Bad("wrong token", List.of("--git-remote", backend.url("empty.git"), "--git-username", "ada", "--git-password-env", "WRONG"), 1,
            "refused the password or token of ada"),
        new Bad("read only", List.of("--git-remote", backend.url("empty.git"), "--git-username", "reader", "--git-password-env", "READER"), 1,
            "reader may read " + backend.url("empty.git") + " but not push to it"),
        new Bad("unreachable", List.of("--git-remote", "http://127.0.0.1:" + closed + "/empty.git", "--git-username", "ada",
            "--git-password-env", "TOKEN"), 1, "nothing answers at 127.0.0.1:" + closed),
        new Bad("not there", List.of("--git-remote", backend.url("missing.git"), "--git-username", "ada", "--git-password-env", "TOKEN"), 1,
            "there is no repository at " + backend.url("missing.git")),
        new Bad("another repository", List.of("--git-remote", backend.url("other.git"), "--git-username", "ada", "--git-password-env", "TOKEN"), 1,
            "holds another repository than the workshop's (main has no flux/workshop-source.yaml)"),
        new Bad("unset variable", List.of("--git-remote", backend.url("empty.git"), "--git-username", "ada", "--git-password-env", "UNSET"), 2,
            "UNSET (--git-password-env) is not set"));
    Map<String, String> env = Map.of("TOKEN", TOKEN, "WRONG", "not-" + TOKEN, "READER", READER_TOKEN);
    List<String> wrong = new ArrayList<>();
    for (Bad bad : cases) {
      Path dir = tmp.resolve("bad-" + bad.what().replace(' ', '-'));
      List<String> args = new ArrayList<>(List.of("up", "--cluster", "embedded", "--data-dir", dir.toString()));
      args.addAll(bad.args());
      Cli.Result r = cli.run(tmp, env, cli.workshop(args.toArray(String[]::new)));
      List<String> lines = r.err().lines().toList();
      boolean right = r.exitCode() == bad.exit() && lines.size() == 2 && lines.get(0).contains("error: ") && lines.get(0).contains(bad.says())
          && !(r.out() + r.err()).contains(TOKEN) && !(r.out() + r.err()).contains(READER_TOKEN)
          && Files.notExists(dir.resolve("kubeconfig")) && Files.notExists(dir.resolve("lab.json"));
      if (!right) {
        wrong.add(bad.what() + ": " + r);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n\n", wrong));
    assertEquals(List.of(), log(repositories.resolve("other.git")).stream().filter(m -> !m.equals("Something else")).toList(),
        "nothing was pushed to a repository that is not the workshop's");
  }
}
