package dev.gitopsworkshop.git;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Urls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab started on a damaged workshop repository: repaired where that is safe (and said), else one
 * clear error and never "ready"; a push killed with the server leaves nothing behind after a restart.
 */
class DamagedRepositoryIT {
  @TempDir Path tmp;
  private Cli cli;
  private Path data;
  private Path bare;
  private Background serve;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    data = tmp.resolve("data");
    bare = data.resolve("git/workshop.git");
  }

  @AfterEach
  void tearDown() {
    if (serve != null) {
      serve.close();
    }
  }

  private LabFile serve() throws IOException {
    Files.deleteIfExists(data.resolve("lab.json"));
    serve = cli.start(tmp, Map.of(), cli.workshop("git", "serve", "--data-dir=" + data));
    await("git serve listening").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> !serve.isAlive() || serve.err().contains("Git server listening"));
    assertTrue(serve.isAlive(), () -> "git serve ended: " + serve);
    return LabFile.read(DataDir.at(data));
  }

  private String url(LabFile lab) {
    return Urls.withCredentials(lab.gitUrl(), lab.gitUsername(), lab.gitPassword());
  }

  /** A served repository with one pushed commit; the server stopped again. */
  private String pushedCommit() throws IOException {
    LabFile lab = serve();
    Path clone = tmp.resolve("clone");
    cli.git(tmp, "clone", "-q", url(lab), clone.toString()).ok();
    Files.writeString(clone.resolve("deploy/kubernetes/note.txt"), "history worth keeping\n");
    cli.git(clone, "add", ".").ok();
    cli.git(clone, "commit", "-q", "-m", "History worth keeping").ok();
    cli.git(clone, "push", "-q", "origin", "main").ok();
    assertTrue(serve.terminate(Duration.ofSeconds(20)));
    return cli.git(clone, "rev-parse", "HEAD").ok().out().strip();
  }

  private static void madeBeforeThisLab(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
  }

  @Test
  void garbageInHeadAndMainAndAStaleLockAreRepairedSaidAndTheHistoryIsServed() throws Exception {
    String pushed = pushedCommit();
    Files.writeString(bare.resolve("HEAD"), "\u0000garbage");
    Files.writeString(bare.resolve("refs/heads/main"), "garbage\n");
    Path lock = Files.writeString(bare.resolve("refs/heads/main.lock"), pushed + "\n");
    madeBeforeThisLab(lock);

    LabFile lab = serve();
    String said = serve.err();
    assertTrue(said.contains("workshop.git: removed refs/heads/main.lock, a lock left by a process that ended at"), said);
    assertTrue(said.contains("workshop.git has a damaged branch main (refs/heads/main holds 'garbage', not a commit id): main is set back to "
        + pushed.substring(0, 12) + " ('History worth keeping')"), said);
    assertTrue(said.contains("workshop.git: HEAD held '?garbage'; it names main again"), said);
    Path clone = tmp.resolve("after");
    cli.git(tmp, "clone", "-q", url(lab), clone.toString()).ok();
    assertEquals(pushed, cli.git(clone, "rev-parse", "HEAD").ok().out().strip(), "main is where the last push left it");
    Files.writeString(clone.resolve("deploy/kubernetes/more.txt"), "more\n");
    cli.git(clone, "add", ".").ok();
    cli.git(clone, "commit", "-q", "-m", "Pushes work again").ok();
    cli.git(clone, "push", "-q", "origin", "main").ok();
    assertEquals(0, cli.git(bare, "fsck", "--no-progress").exitCode());
  }

  @Test
  void aMainBeyondRepairIsOneErrorAndTheLabNeverSaysReady() throws Exception {
    pushedCommit();
    Files.writeString(bare.resolve("refs/heads/main"), "garbage\n");
    try (Stream<Path> logs = Files.walk(bare.resolve("logs"))) {
      for (Path p : logs.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
    Cli.Result up = cli.run(tmp, cli.workshop("up", "--cluster=embedded", "--data-dir=" + data));
    assertEquals(1, up.exitCode(), up.toString());
    List<String> lines = up.err().strip().lines().filter(l -> !l.startsWith("►")).toList();
    assertEquals(List.of(
        "✗ error: the repository " + bare + " has a damaged branch main (refs/heads/main holds 'garbage', not a commit id),"
            + " and no reflog names a commit to set it back to",
        "  find the last commit with 'git --git-dir=" + bare + " fsck --lost-found' and set it with 'git --git-dir=" + bare
            + " update-ref refs/heads/main COMMIT', or move " + bare + " away to start from a new repository"), lines);
    assertFalse(up.err().contains("ready"), up.err());
    assertFalse(Files.exists(data.resolve("lab.json")), "no lab described");
  }

  @Test
  void aPushKilledWithTheServerLeavesNoPackBehindAfterARestart() throws Exception {
    LabFile lab = serve();
    Path clone = tmp.resolve("clone");
    cli.git(tmp, "clone", "-q", url(lab), clone.toString()).ok();
    byte[] noise = new byte[16 * 1024 * 1024];
    new Random(18).nextBytes(noise);
    Files.write(clone.resolve("large.bin"), noise);
    cli.git(clone, "add", "large.bin").ok();
    cli.git(clone, "commit", "-q", "-m", "A large file").ok();
    Background push = cli.start(clone, Map.of(), "git", "push", "origin", "main");
    await("the server receiving the pack").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
        .until(() -> !incoming().isEmpty() || !push.isAlive());
    serve.kill(); // the server dies in the middle of the push
    push.kill();
    List<Path> left = incoming();
    assertFalse(left.isEmpty(), "the killed server left its incoming pack");
    for (Path p : left) {
      madeBeforeThisLab(p); // as a restart later in the day finds them
    }

    serve();
    assertTrue(serve.err().contains("workshop.git: removed " + left.size() + " file"), serve.err());
    assertEquals(List.of(), incoming());
    assertEquals(0, cli.git(bare, "fsck", "--no-progress").exitCode());
  }

  private List<Path> incoming() throws IOException {
    try (Stream<Path> files = Stream.concat(Files.list(bare.resolve("objects")), Files.list(bare.resolve("objects/pack")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("incoming_")).toList();
    }
  }
}
