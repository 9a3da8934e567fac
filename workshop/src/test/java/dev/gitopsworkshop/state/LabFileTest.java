package dev.gitopsworkshop.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabFileTest {
  @TempDir Path tmp;

  @Test
  void roundTripKeepsTheContractKeysAndIsPrivate() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("lab")).ensureWritable();
    LabFile.empty()
        .put("cluster", "mode", "embedded")
        .put("cluster", "kubeconfig", dir.kubeconfig().toString())
        .put("git", "url", "http://127.0.0.1:1234/workshop.git")
        .put("git", "username", "participant")
        .put("git", "password", "secret")
        .write(dir);
    LabFile read = LabFile.read(dir);
    assertEquals("embedded", read.clusterMode());
    assertEquals(dir.kubeconfig().toString(), read.kubeconfig());
    assertEquals("http://127.0.0.1:1234/workshop.git", read.gitUrl());
    assertEquals("participant", read.gitUsername());
    assertEquals("secret", read.gitPassword());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.labJson())));
  }

  @Test
  void missingLabSaysHowToStartOne() {
    WorkshopException e = assertThrows(WorkshopException.class, () -> LabFile.read(DataDir.at(tmp)));
    assertTrue(e.getMessage().contains("no lab found"), e.getMessage());
    assertTrue(e.hint().contains("workshop up"), e.hint());
  }

  @Test
  void corruptLabFileIsNamed() throws Exception {
    Files.writeString(tmp.resolve("lab.json"), "{not json");
    WorkshopException e = assertThrows(WorkshopException.class, () -> LabFile.read(DataDir.at(tmp)));
    assertTrue(e.getMessage().contains("lab.json"), e.getMessage());
  }

  @Test
  void unwritableDataDirIsExplained() throws Exception {
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    WorkshopException e =
        assertThrows(WorkshopException.class, () -> DataDir.at(file.resolve("sub")).ensureWritable());
    assertTrue(e.getMessage().contains("data directory"), e.getMessage());
    assertTrue(e.hint().contains("--data-dir"), e.hint());
  }
}
