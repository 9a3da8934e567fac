package dev.gitopsworkshop.git;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.lab.DataDir;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and faults: huge pushes, clients killed mid-push, a port already taken. */
class GitServerLimitsIT {
  @TempDir Path temp;

  private static void writeRandom(Path file, long bytes) throws IOException {
    Random random = new Random(42);
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < bytes; written += block.length) {
        random.nextBytes(block);
        out.write(block);
      }
    }
  }

  private record Setup(GitServer server, GitCli git, Path work, DataDir dataDir) {}

  private Setup serverWithClone(long maxPushSize) throws Exception {
    DataDir dataDir = DataDir.at(temp.resolve("data"));
    GitServer server =
        GitServer.start(GitServerOptions.defaults(dataDir).withMaxPushSize(maxPushSize));
    GitCli git = new GitCli(temp.resolve("home"));
    Account participant = server.participant();
    String url = GitCli.withCredentials(
        server.repositoryUrl("workshop.git"), participant.username(), participant.password());
    Path clone = temp.resolve("clone");
    git.run(temp, "clone", url, clone.toString()).assertOk();
    return new Setup(server, git, clone, dataDir);
  }

  private static String remoteMain(Setup setup) throws Exception {
    return setup.git().run(setup.work(), "ls-remote", "origin", "refs/heads/main").assertOk().output();
  }

  private static void assertFsckClean(Setup setup) throws Exception {
    Path repository = setup.dataDir().git().resolve("workshop.git");
    GitCli.Result fsck = setup.git().run(repository, "fsck", "--full");
    assertEquals(0, fsck.exitCode(), fsck.output());
    assertTrue(!fsck.output().contains("error") && !fsck.output().contains("missing"), fsck.output());
  }

  @Test
  void refusesPushLargerThanTheLimitNamingIt() throws Exception {
    Setup setup = serverWithClone(256 * 1024);
    try (GitServer server = setup.server()) {
      String before = remoteMain(setup);
      writeRandom(setup.work().resolve("deploy/kubernetes/huge.bin"), 2 * 1024 * 1024);
      setup.git().run(setup.work(), "add", ".").assertOk();
      setup.git().run(setup.work(), "commit", "-m", "huge").assertOk();

      GitCli.Result push = setup.git().run(setup.work(), "push", "origin", "main");

      assertNotEquals(0, push.exitCode(), push.output());
      assertTrue(push.output().contains("limit of 262,144 bytes"), push.output());
      assertEquals(before, remoteMain(setup));
      assertFsckClean(setup);
    }
  }

  @Test
  void clientKilledMidPushLeavesRepositoryConsistent() throws Exception {
    Setup setup = serverWithClone(GitServerOptions.DEFAULT_MAX_PUSH_SIZE);
    try (GitServer server = setup.server()) {
      String before = remoteMain(setup);
      writeRandom(setup.work().resolve("deploy/kubernetes/big.bin"), 60L * 1024 * 1024);
      setup.git().run(setup.work(), "add", ".").assertOk();
      setup.git().run(setup.work(), "commit", "-m", "big").assertOk();
      Path packs = setup.dataDir().git().resolve("workshop.git/objects/pack");

      Process push = setup.git().start(setup.work(), "push", "origin", "main");
      await("the server receiving the pack")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> !push.isAlive() || receiving(packs));
      push.descendants().forEach(ProcessHandle::destroyForcibly);
      push.destroyForcibly();
      assertTrue(push.waitFor(30, TimeUnit.SECONDS));

      await("the server giving up the interrupted pack")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !receiving(packs));
      String after = remoteMain(setup);
      assertTrue(after.equals(before) || push.exitValue() == 0, "main moved by an interrupted push");
      assertFsckClean(setup);

      Files.delete(setup.work().resolve("deploy/kubernetes/big.bin"));
      setup.git().run(setup.work(), "reset", "--hard", "origin/main").assertOk();
      Files.writeString(setup.work().resolve("deploy/kubernetes/small.txt"), "small\n");
      setup.git().run(setup.work(), "add", ".").assertOk();
      setup.git().run(setup.work(), "commit", "-m", "small").assertOk();
      setup.git().run(setup.work(), "push", "origin", "main").assertOk();
      assertFsckClean(setup);
    }
  }

  private static boolean receiving(Path packs) throws IOException {
    try (Stream<Path> files = Files.list(packs)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("incoming_"));
    }
  }

  @Test
  void portInUseIsOneLineNamingThePortAndTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      DataDir dataDir = DataDir.at(temp.resolve("data"));
      WorkshopException error =
          assertThrows(
              WorkshopException.class,
              () -> GitServer.start(GitServerOptions.defaults(dataDir).withPort(port)));
      assertTrue(error.getMessage().contains("port " + port), error.getMessage());
      assertTrue(error.hint().contains("--port"), error.hint());
      assertTrue(!error.getMessage().contains("\n"));
    }
  }
}
