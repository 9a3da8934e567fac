package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.DataDirLock;
import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'workshop status' for a lab that is no longer running says so in one line, at once. */
class LabStatusIT {
  @TempDir Path tmp;

  @Test
  void statusOfALabThatIsGoneSaysItsClusterDoesNotAnswer() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path kubeconfig = data.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: workshop
          cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
        users:
        - name: workshop
          user: {token: gone}
        contexts:
        - name: workshop
          context: {cluster: workshop, user: workshop}
        current-context: workshop
        """);
    Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(data.resolve("lab.json"), """
        {"cluster": {"mode": "embedded", "kubeconfig": "%s"},
         "git": {"url": "http://127.0.0.1:1/workshop.git", "username": "participant", "password": "x"}}
        """.formatted(kubeconfig));
    Cli cli = new Cli(Files.createDirectories(tmp.resolve("home")), tmp);
    Cli.Result status;
    // a process that still owns the data dir (as a lab whose cluster went away would)
    try (DataDirLock owner = DataDirLock.acquire(DataDir.at(data), "up")) {
      status = cli.run(null, cli.workshop("status", "--data-dir=" + data));
    }
    assertEquals(1, status.exitCode(), status.toString());
    assertTrue(status.err().contains("cannot reach the lab's cluster at https://127.0.0.1:1/: nothing answers there"), status.toString());
    assertTrue(status.err().contains("scripts/workshop up"), status.toString());
    assertFalse(status.err().contains("\tat "), "no stack trace without --verbose: " + status);

    // nobody owns it: the lab.json was left by a lab that ended, and status knows without asking the network
    Cli.Result ended = cli.run(null, cli.workshop("status", "--data-dir=" + data));
    assertEquals(1, ended.exitCode(), ended.toString());
    assertTrue(ended.err().startsWith("✗ error: no lab is running in " + data), ended.toString());
    assertTrue(ended.err().contains("scripts/workshop up"), ended.toString());
  }
}
