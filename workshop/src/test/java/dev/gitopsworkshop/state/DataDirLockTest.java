package dev.gitopsworkshop.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One owner per data dir, within this process (DataDirOwnershipIT covers other processes). */
class DataDirLockTest {
  @TempDir Path tmp;

  @Test
  void aSecondOwnerIsRefusedInOneLineNamingTheFirst() {
    DataDir dir = DataDir.at(tmp.resolve("lab"));
    try (DataDirLock first = DataDirLock.acquire(dir, "up")) {
      WorkshopException e = assertThrows(WorkshopException.class, () -> DataDirLock.acquire(DataDir.at(tmp.resolve("lab")), "git serve"));
      assertTrue(e.getMessage().startsWith("the data directory " + dir.root() + " is in use by 'up' (process "
          + ProcessHandle.current().pid() + ", since "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertTrue(e.hint().contains("--data-dir"), e.hint());
      assertEquals("up", DataDirLock.owner(dir).orElseThrow().command());
    }
    assertTrue(DataDirLock.owner(dir).isEmpty(), "nobody owns it once the owner closed");
    try (DataDirLock again = DataDirLock.acquire(dir, "git serve")) {
      assertEquals("git serve", again.owner().command());
    }
  }

  @Test
  void aLabJsonNamingALiveUnrelatedProcessBlocksNothing() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("lab")).ensureWritable();
    long unrelated = ProcessHandle.current().parent().orElseThrow().pid();
    LabFile stale = LabFile.empty().put("cluster", "kubeconfig", dir.kubeconfig().toString());
    stale.json().put("pid", unrelated);
    stale.write(dir);
    assertTrue(RunningLab.find(dir).isEmpty(), "a lab.json nobody owns is a lab that ended");
    WorkshopException none = assertThrows(WorkshopException.class, () -> RunningLab.require(dir));
    assertTrue(none.getMessage().startsWith("no lab is running in "), none.getMessage());
    try (DataDirLock owner = DataDirLock.acquire(dir, "up")) {
      assertTrue(RunningLab.find(dir).isPresent(), "owned, with a cluster: running");
    }
  }

  @Test
  void aDataDirOwnedByGitServeSaysThereIsNoCluster() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("lab"));
    try (DataDirLock owner = DataDirLock.acquire(dir, "git serve")) {
      LabFile.empty().put("git", "url", "http://127.0.0.1:1/workshop.git").write(dir);
      WorkshopException e = assertThrows(WorkshopException.class, () -> RunningLab.require(dir));
      assertTrue(e.getMessage().startsWith("only the Git server runs in " + dir.root()), e.getMessage());
      assertTrue(e.hint().contains("scripts/workshop up"), e.hint());
    }
  }

  @Test
  void aNewDataDirIsTheUsersAlone() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("new/lab")).ensureWritable();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.root())));
  }

  @Test
  void anOpenDataDirWithTheLabsPasswordsIsClosedAndAUsersOwnFolderIsLeftAlone() throws Exception {
    Path old = Files.createDirectories(tmp.resolve("old"));
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(old.resolve(DataDir.CREDENTIALS), "{}");
    DataDir.at(old).ensureWritable();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(old)));

    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(project.resolve("notes.txt"), "mine");
    DataDir.at(project).ensureWritable();
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(project)));
  }

  @Test
  void aDataDirThatIsAFileSaysSo() throws Exception {
    Path file = Files.writeString(tmp.resolve("lab"), "not a folder");
    WorkshopException e = assertThrows(WorkshopException.class, () -> DataDirLock.acquire(DataDir.at(file), "up"));
    assertEquals("the data directory " + file + " is a file, not a folder", e.getMessage());
    assertTrue(e.hint().contains("--data-dir"), e.hint());
  }
}
