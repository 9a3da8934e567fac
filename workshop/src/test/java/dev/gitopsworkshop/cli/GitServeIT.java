package dev.gitopsworkshop.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.git.GitCli;
import dev.gitopsworkshop.lab.DataDir;
import dev.gitopsworkshop.lab.LabFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workshop git serve} from the packaged jar, stopped with SIGTERM and started again. */
class GitServeIT {
  @TempDir Path temp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopServers() throws InterruptedException {
    for (Process process : started) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private Process workshop(Path dataDir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dworkshop.projectRoot=" + System.getProperty("workshop.projectRoot"),
        "-jar", System.getProperty("workshop.jar")));
    command.addAll(List.of(args));
    command.addAll(List.of("--data-dir", dataDir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(temp.resolve("serve-" + started.size() + ".out").toFile())
        .redirectError(temp.resolve("serve-" + started.size() + ".err").toFile());
    GitCli.environment(builder.environment(), temp.resolve("server-home"));
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private LabFile awaitLab(DataDir dataDir, Process process) {
    String pid = String.valueOf(process.pid());
    await("lab.json written by git serve (pid " + pid + ")")
        .atMost(Duration.ofSeconds(60))
        .until(() -> {
          assertTrue(process.isAlive(), "git serve exited early");
          return LabFile.exists(dataDir) && pid.equals(LabFile.read(dataDir).json().path("pid").asText());
        });
    return LabFile.read(dataDir);
  }

  @Test
  void keepsUrlCredentialsAndHistoryAcrossSigtermAndRestart() throws Exception {
    DataDir dataDir = DataDir.at(temp.resolve("data"));
    GitCli git = new GitCli(temp.resolve("home"));
    Process first = workshop(dataDir.root(), "git", "serve");
    LabFile lab = awaitLab(dataDir, first);
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("credentials.json"))));
    String url = lab.gitUrl();
    String authed = GitCli.withCredentials(url, lab.gitUsername(), lab.gitPassword());
    await("clone command printed").atMost(Duration.ofSeconds(10)).until(
        () -> Files.readString(temp.resolve("serve-0.out")).contains("git clone " + authed));

    Path clone = temp.resolve("clone");
    git.run(temp, "clone", authed, clone.toString()).assertOk();
    assertTrue(Files.isRegularFile(clone.resolve("examples/podinfo-dep.yaml")));
    Files.copy(clone.resolve("examples/podinfo-dep.yaml"), clone.resolve("deploy/kubernetes/podinfo-dep.yaml"));
    git.run(clone, "add", ".").assertOk();
    git.run(clone, "commit", "-m", "Deploy podinfo").assertOk();
    git.run(clone, "push", "origin", "main").assertOk();
    String pushed = git.run(clone, "rev-parse", "HEAD").assertOk().output().trim();

    first.destroy();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "git serve stops on SIGTERM");
    assertFalse(LabFile.exists(dataDir), "lab.json removed when the server stops");

    Process second = workshop(dataDir.root(), "git", "serve");
    LabFile again = awaitLab(dataDir, second);
    assertEquals(url, again.gitUrl());
    assertEquals(lab.gitPassword(), again.gitPassword());
    assertEquals(lab.get("git", "operatorPassword"), again.get("git", "operatorPassword"));
    assertEquals(url.replace("/workshop.git", "/-/events"), again.get("git", "eventsUrl"));

    git.run(clone, "pull", "--ff-only").assertOk();
    Path secondClone = temp.resolve("clone-after-restart");
    git.run(temp, "clone", authed, secondClone.toString()).assertOk();
    assertEquals(pushed, git.run(secondClone, "rev-parse", "HEAD").assertOk().output().trim());
    assertTrue(Files.isRegularFile(secondClone.resolve("deploy/kubernetes/podinfo-dep.yaml")));
    assertEquals(0, git.run(dataDir.git().resolve("workshop.git"), "fsck", "--full").exitCode());
  }

  @Test
  void portInUseFailsWithOneLineNamingThePort() throws Exception {
    DataDir first = DataDir.at(temp.resolve("first"));
    Process server = workshop(first.root(), "git", "serve");
    String url = awaitLab(first, server).gitUrl();
    String port = url.replaceAll(".*:(\\d+)/.*", "$1");

    Process clash = workshop(temp.resolve("second"), "git", "serve", "--port", port);
    assertTrue(clash.waitFor(60, TimeUnit.SECONDS), "git serve gives up");
    String err = Files.readString(temp.resolve("serve-1.err"), StandardCharsets.UTF_8);
    assertEquals(1, clash.exitValue(), err);
    assertTrue(err.contains("error: port " + port + " on 127.0.0.1 is already in use"), err);
    assertTrue(err.contains("choose another port with --port"), err);
    assertFalse(err.contains("Exception"), err);
  }
}
