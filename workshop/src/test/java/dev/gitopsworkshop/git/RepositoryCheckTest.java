package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.ProjectContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of damage a workshop repository can come back with, and what the start-up check does about it. */
class RepositoryCheckTest {
  @TempDir Path tmp;
  private Path bare;
  private String first;
  private String second;
  private final Instant started = Instant.now();

  @BeforeEach
  void aRepositoryWithTwoCommitsOnMain() throws Exception {
    Path project = tmp.resolve("project");
    Files.createDirectories(project.resolve("examples"));
    Files.writeString(project.resolve("examples/podinfo-dep.yaml"), "kind: Deployment\n");
    bare = tmp.resolve("git/workshop.git");
    WorkshopRepository.createIfMissing(bare, ProjectContent.at(project), "http://127.0.0.1:1/workshop.git");
    first = main();
    try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
        ObjectInserter inserter = repo.newObjectInserter()) {
      // a second commit on main, as a push makes it (with its reflog entry)
      TreeFormatter tree = new TreeFormatter();
      tree.append("deploy.yaml", FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, "kind: ConfigMap\n".getBytes()));
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(inserter.insert(tree));
      commit.setParentId(ObjectId.fromString(first));
      PersonIdent who = new PersonIdent("p", "p@example.com");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("Add a config map\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repo.updateRef("refs/heads/main");
      update.setNewObjectId(id);
      update.setRefLogMessage("push", false);
      assertEquals(RefUpdate.Result.FAST_FORWARD, update.update());
    }
    second = main();
    assertFalse(first.equals(second));
  }

  private String main() throws Exception {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
      ObjectId id = repo.resolve("refs/heads/main");
      return id == null ? null : id.name();
    }
  }

  private List<String> check() {
    return RepositoryCheck.run(bare, started);
  }

  private void makeOld(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(started.minusSeconds(3600)));
  }

  @Test
  void aSoundRepositoryIsLeftAsItIs() {
    assertEquals(List.of(), check());
  }

  @Test
  void garbageInMainIsSetBackToTheLastCommitItsReflogNames() throws Exception {
    Files.writeString(bare.resolve("refs/heads/main"), "\u0000\u00ffgarbage\n");
    List<String> repaired = check();
    assertEquals(1, repaired.size(), repaired.toString());
    assertTrue(repaired.get(0).contains("damaged branch main") && repaired.get(0).contains(second.substring(0, 12))
        && repaired.get(0).contains("Add a config map"), repaired.get(0));
    assertEquals(second, main());
  }

  @Test
  void mainNamingAMissingCommitIsSetBackToTheNewestCommitThatExists() throws Exception {
    Files.writeString(bare.resolve("refs/heads/main"), "0123456789abcdef0123456789abcdef01234567\n");
    List<String> repaired = check();
    assertTrue(repaired.get(0).contains("is missing from the repository"), repaired.toString());
    assertEquals(second, main());
  }

  @Test
  void aMissingMainIsSetBackFromItsReflog() throws Exception {
    Files.delete(bare.resolve("refs/heads/main"));
    Files.deleteIfExists(bare.resolve("packed-refs"));
    assertTrue(check().get(0).contains("has no branch main"));
    assertEquals(second, main());
  }

  @Test
  void aDamagedMainWithoutAReflogIsOneClearErrorSayingWhatToDo() throws Exception {
    Files.writeString(bare.resolve("refs/heads/main"), "garbage\n");
    Files.delete(bare.resolve("logs/refs/heads/main"));
    WorkshopException e = assertThrows(WorkshopException.class, this::check);
    assertEquals("the repository " + bare + " has a damaged branch main (refs/heads/main holds 'garbage', not a commit id),"
        + " and no reflog names a commit to set it back to", e.getMessage());
    assertTrue(e.hint().contains("fsck --lost-found") && e.hint().contains("update-ref refs/heads/main"), e.hint());
  }

  @Test
  void garbageInHeadOrNoHeadAtAllNamesMainAgain() throws Exception {
    Files.writeString(bare.resolve("HEAD"), "\u0001\u0002 not a ref");
    assertTrue(check().get(0).contains("it names main again"));
    assertEquals("ref: refs/heads/main", Files.readString(bare.resolve("HEAD")).strip());

    Files.delete(bare.resolve("HEAD"));
    assertEquals(List.of("workshop.git: HEAD was missing; it names main again"), check());
    assertEquals(second, main());
  }

  @Test
  void aLockLeftByAnEarlierProcessIsRemovedAndOneTakenNowIsAnError() throws Exception {
    Path lock = Files.writeString(bare.resolve("refs/heads/main.lock"), first + "\n");
    makeOld(lock);
    Path headLock = Files.writeString(bare.resolve("packed-refs.lock"), "");
    makeOld(headLock);
    List<String> repaired = check();
    assertEquals(2, repaired.size(), repaired.toString());
    assertTrue(repaired.stream().anyMatch(l -> l.contains("removed refs/heads/main.lock, a lock left by a process that ended")), repaired.toString());
    assertFalse(Files.exists(lock));
    assertFalse(Files.exists(headLock));

    Files.writeString(bare.resolve("refs/heads/main.lock"), first + "\n");
    WorkshopException e = assertThrows(WorkshopException.class, this::check);
    assertTrue(e.getMessage().contains("is being written by another program: refs/heads/main.lock was made at"), e.getMessage());
    assertTrue(e.hint().contains("remove " + bare.resolve("refs/heads/main.lock")), e.hint());
  }

  @Test
  void whatAnInterruptedPushLeftIsRemovedButNotWhatIsBeingWrittenNow() throws Exception {
    Path pack = Files.write(bare.resolve("objects/incoming_4242.pack"), new byte[4096]);
    Path idx = Files.write(bare.resolve("objects/incoming_4242.idx"), new byte[64]);
    Path noz = Files.write(bare.resolve("objects/noz123.tmp"), new byte[10]);
    makeOld(pack);
    makeOld(idx);
    makeOld(noz);
    Path now = Files.write(bare.resolve("objects/incoming_77.pack"), new byte[10]);
    assertEquals(List.of("workshop.git: removed 3 files an interrupted push left in objects/"), check());
    assertFalse(Files.exists(pack) || Files.exists(idx) || Files.exists(noz));
    assertTrue(Files.exists(now), "a pack newer than this process is a push of this process");
  }

  @Test
  void aFolderThatIsNoRepositoryIsAnError() throws Exception {
    Path notGit = Files.createDirectories(tmp.resolve("git/other.git"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> RepositoryCheck.run(notGit, started));
    assertEquals("the repository " + notGit + " is not a Git repository (it has no objects/ or refs/ folder)", e.getMessage());
  }

  @Test
  void everyRepositoryKeepsAReflogSoThatMainCanBeSetBack() throws Exception {
    assertTrue(Files.readString(bare.resolve("config")).contains("logallrefupdates = true"));
    assertTrue(Files.readAllLines(bare.resolve("logs/refs/heads/main")).size() >= 2, "the seed commit and the push");
  }
}
