package dev.gitopsworkshop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a presenter sees when {@code workshop slides} cannot serve the deck: one line saying why, one saying what to do. */
class SlidesCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  @TempDir Path dir;

  private int run(String... args) {
    return CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void aFolderWithoutSlidesIsRefusedBeforeAnythingIsServed() {
    assertEquals(1, run("slides", "--dir", dir.toString()));
    assertTrue(err.toString().contains("there are no slides in " + dir), err.toString());
    assertTrue(err.toString().contains("NN-name.md"), err.toString());
    assertFalse(err.toString().contains("\tat "), "no stack trace without --verbose");
    assertEquals("", out.toString(), "no URL printed");
  }

  @Test
  void aBrokenStepReferenceIsRefusedNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("10-a.md"), "# A\n{{step 99}}\n");
    assertEquals(1, run("slides", "--dir", dir.toString()));
    assertTrue(err.toString().contains("10-a.md") && err.toString().contains("step 99"), err.toString());
  }

  @Test
  void aPortInUseIsRefusedSayingWhatToDo() throws Exception {
    Files.writeString(dir.resolve("10-a.md"), "# A\n");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(1, run("slides", "--dir", dir.toString(), "--port", Integer.toString(taken.getLocalPort())));
      assertTrue(err.toString().contains("port " + taken.getLocalPort() + " is in use") && err.toString().contains("--port"),
          err.toString());
    }
  }
}
