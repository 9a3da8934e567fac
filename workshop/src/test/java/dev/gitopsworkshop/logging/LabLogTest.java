package dev.gitopsworkshop.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The lab's log: in the data dir, rotated and bounded, mirrored on stderr only with --verbose. */
class LabLogTest {
  private static final Logger LOG = LoggerFactory.getLogger(LabLogTest.class);
  @TempDir Path dataDir;

  @AfterEach
  void quiet() {
    LabLog.sizeCheckMillis = 200;
    LabLog.verbose(false);
    LabLog.closeFile();
  }

  @Test
  void linesGoToLabLogInTheDataDirWithTimeLevelAndClass() throws IOException {
    LabLog.writeTo(dataDir);
    LOG.warn("GitRepository flux-system/workshop: AuthenticationFailed");
    LOG.debug("a detail only --verbose keeps");
    String log = Files.readString(dataDir.resolve("lab.log"));
    assertTrue(log.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  \\[[^]]+] LabLogTest - "
        + "GitRepository flux-system/workshop: AuthenticationFailed\n"), log);
    assertEquals(dataDir.resolve("lab.log"), LabLog.current().orElseThrow());
  }

  @Test
  void aDayOfLinesIsRotatedAndBounded() throws IOException {
    LabLog.sizeCheckMillis = 0; // the lab looks every 200 ms; these lines come faster than a lab's day
    LabLog.writeTo(dataDir);
    String line = "x".repeat(1000);
    for (int i = 0; i < 30_000; i++) { // 30 MB: more than the four files keep
      LOG.info("{} {}", i, line);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dataDir)) {
      files = list.sorted().toList();
    }
    assertEquals(List.of("lab.1.log", "lab.2.log", "lab.3.log", "lab.log"), files.stream().map(p -> p.getFileName().toString()).toList());
    long limit = LabLog.MAX_MEGABYTES * 1024L * 1024 + 2000;
    for (Path f : files) {
      assertTrue(Files.size(f) < limit, f + " is " + Files.size(f) + " bytes");
    }
    assertTrue(Files.readString(dataDir.resolve("lab.log")).contains("29999 x"), "the newest lines are in lab.log");
  }

  @Test
  void verboseMirrorsTheLogOnStderrAndShowsDetails() throws IOException {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LabLog.writeTo(dataDir);
      LOG.info("not on the console without --verbose");
      LabLog.verbose(true);
      LOG.debug("a detail for --verbose");
    } finally {
      System.setErr(err);
    }
    String console = captured.toString(StandardCharsets.UTF_8);
    assertFalse(console.contains("not on the console"), console);
    assertTrue(console.contains("DEBUG [") && console.contains("LabLogTest - a detail for --verbose"), console);
    assertTrue(Files.readString(dataDir.resolve("lab.log")).contains("a detail for --verbose"), "the file has what the console has");
  }

  @Test
  void librariesLoggingThroughJavaUtilLoggingWriteToTheLabLogNotTheTerminal() throws IOException {
    LabLog.captureJavaUtilLogging(); // as Main does
    LabLog.writeTo(dataDir);
    java.util.logging.Logger.getLogger("org.example.library").warning("a library's warning");
    java.util.logging.Logger.getLogger("com.google.protobuf.GeneratedMessage").warning("Vulnerable protobuf generated type in use");
    assertEquals(List.of(SLF4JBridgeHandler.class),
        Stream.of(java.util.logging.Logger.getLogger("").getHandlers()).map(Object::getClass).toList(),
        "java.util.logging's console handler would print on the participant's terminal");
    String log = Files.readString(dataDir.resolve("lab.log"));
    assertTrue(log.contains("WARN  [") && log.contains("library - a library's warning"), log);
    assertFalse(log.contains("Vulnerable protobuf"), "protobuf's warning about Kubernetes' generated model is not the lab's news: " + log);
  }

  @Test
  void anotherDataDirTakesTheLogOver(@TempDir Path other) throws IOException {
    LabLog.writeTo(dataDir);
    LOG.info("first lab");
    LabLog.writeTo(other);
    LOG.info("second lab");
    assertFalse(Files.readString(dataDir.resolve("lab.log")).contains("second lab"));
    assertTrue(Files.readString(other.resolve("lab.log")).contains("second lab"));
  }
}
