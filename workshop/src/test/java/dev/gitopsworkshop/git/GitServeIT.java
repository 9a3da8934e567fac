package dev.gitopsworkshop.git;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Urls;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workshop git serve} as a user runs it: the packaged tool, a signal, a restart. */
class GitServeIT {
  @TempDir Path tmp;
  private Cli cli;
  private Background serve;
  private Path data;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    data = tmp.resolve("data");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (serve != null) {
      serve.close();
    }
  }

  private LabFile startServe(String... extra) throws Exception {
    Files.deleteIfExists(data.resolve("lab.json"));
    String[] args = new String[3 + extra.length];
    args[0] = "git";
    args[1] = "serve";
    args[2] = "--data-dir=" + data;
    System.arraycopy(extra, 0, args, 3, extra.length);
    serve = cli.start(tmp, Map.of(), cli.workshop(args));
    await("lab.json written by git serve")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !serve.isAlive() || Files.exists(data.resolve("lab.json")));
    assertTrue(serve.isAlive(), () -> "git serve exited: " + serve);
    return LabFile.read(DataDir.at(data));
  }

  @Test
  void restartKeepsUrlCredentialsAndHistory() throws Exception {
    LabFile first = startServe();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("credentials.json"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("lab.json"))));
    String url = Urls.withCredentials(first.gitUrl(), first.gitUsername(), first.gitPassword());
    cli.git(tmp, "clone", "-q", url, "clone").ok();
    Path clone = tmp.resolve("clone");
    Files.copy(clone.resolve("examples/podinfo-dep.yaml"), clone.resolve("deploy/kubernetes/podinfo-dep.yaml"));
    cli.git(clone, "add", ".").ok();
    cli.git(clone, "commit", "-q", "-m", "Add podinfo").ok();
    cli.git(clone, "push", "-q", "origin", "main").ok();
    String head = cli.git(clone, "rev-parse", "HEAD").ok().out().strip();

    assertTrue(serve.terminate(Duration.ofSeconds(20)), "git serve stops on SIGTERM");
    assertFalse(Files.exists(data.resolve("lab.json")), "a stopped server leaves no lab.json behind");

    LabFile second = startServe();
    assertEquals(first.gitUrl(), second.gitUrl());
    assertEquals(first.gitUsername(), second.gitUsername());
    assertEquals(first.gitPassword(), second.gitPassword());
    cli.git(clone, "fetch", "-q", "origin").ok();
    assertEquals(head, cli.git(clone, "rev-parse", "origin/main").ok().out().strip());
    assertEquals(0, cli.git(data.resolve("git/workshop.git"), "fsck", "--no-progress").exitCode());
  }

  @Test
  void aPortInUseIsOneLineNamingThePortAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Cli.Result r = cli.run(tmp, cli.workshop("git", "serve", "--data-dir=" + data, "--port=" + port));
      assertEquals(1, r.exitCode(), r.toString());
      String firstLine = r.err().lines().findFirst().orElse("");
      assertTrue(firstLine.contains("port " + port) && firstLine.contains("in use"), r.err());
      assertTrue(r.err().contains("--port"), r.err());
      assertFalse(r.err().contains("Exception"), "no stack trace without --verbose: " + r.err());
    }
  }

  @Test
  void printsACopyPasteCloneCommandThatKeepsThePasswordOutOfTheClone() throws Exception {
    LabFile lab = startServe();
    String command = serve.awaitLine("the clone command printed", l -> l.contains("git clone"), Duration.ofSeconds(30)).strip();
    assertTrue(command.startsWith("git clone -c credential.helper= -c 'credential.helper=store --file="), command);
    assertFalse(command.contains(lab.gitPassword()), "no password in the printed command: " + command);
    Files.createDirectories(tmp.resolve("pasted"));
    cli.run(tmp.resolve("pasted"), "bash", "-c", command).ok();
    Path clone = tmp.resolve("pasted/workshop");
    assertTrue(Files.exists(clone.resolve("examples/podinfo-dep.yaml")));
    assertFalse(Files.readString(clone.resolve(".git/config")).contains(lab.gitPassword()), "no password in .git/config");
    Files.writeString(clone.resolve("deploy/kubernetes/note.txt"), "by hand\n");
    cli.git(clone, "add", ".").ok();
    cli.git(clone, "commit", "-q", "-m", "A push by hand").ok();
    cli.git(clone, "push", "-q", "origin", "main").ok(); // GIT_TERMINAL_PROMPT=0: it would fail if git asked for a password
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("git-credentials"))));
    assertTrue(lab.gitUrl().endsWith("/workshop.git"));
  }

  @Test
  void refusesADataDirThatAnotherServerOwnsAndLeavesItsFilesAlone() throws Exception {
    LabFile first = startServe();
    byte[] labJson = Files.readAllBytes(data.resolve("lab.json"));
    byte[] credentials = Files.readAllBytes(data.resolve("credentials.json"));
    Cli.Result second = cli.run(tmp, cli.workshop("git", "serve", "--data-dir=" + data, "--port=0"));
    assertEquals(1, second.exitCode(), second.toString());
    assertEquals("✗ error: the data directory " + data + " is in use by 'git serve' (process " + serve.pid() + ", since ",
        second.err().lines().findFirst().orElse("").replaceFirst("since .*", "since "));
    assertArrayEquals(labJson, Files.readAllBytes(data.resolve("lab.json")), "lab.json untouched");
    assertArrayEquals(credentials, Files.readAllBytes(data.resolve("credentials.json")), "the remembered port untouched");
    Cli.Result status = cli.run(tmp, cli.workshop("status", "--data-dir=" + data));
    assertEquals(1, status.exitCode(), status.toString());
    assertTrue(status.err().contains("only the Git server runs in " + data), status.err());
    assertFalse(status.err().contains("Exception"), status.err());
    assertEquals(first.gitUrl(), LabFile.read(DataDir.at(data)).gitUrl());
  }
}
