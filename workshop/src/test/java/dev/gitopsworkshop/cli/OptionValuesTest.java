package dev.gitopsworkshop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Absurd option values are refused as the command line is read: exit 2, one line, nothing started or written. */
class OptionValuesTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private void refused(String expected, String... args) {
    err.getBuffer().setLength(0);
    Path data = tmp.resolve("data");
    String[] withDir = new String[args.length + 1];
    System.arraycopy(args, 0, withDir, 0, args.length);
    withDir[args.length] = "--data-dir=" + data;
    assertEquals(2, run(withDir), err.toString());
    String[] lines = err.toString().strip().split("\n");
    assertEquals(2, lines.length, err.toString());
    assertTrue(lines[0].contains(expected), "expected '" + expected + "' in: " + lines[0]);
    assertTrue(lines[1].contains("--help"), lines[1]);
    assertFalse(Files.exists(data), "nothing was written for " + String.join(" ", args));
  }

  @Test
  void pushSizesThatWouldRefuseEveryPushOrOverflowAreRefused() {
    refused("Invalid value for option '--max-push-size': 0 MiB would refuse every push: give at least 1", "up", "--max-push-size", "0");
    refused("-1 is not a size: give at least 1", "git", "serve", "--max-push-size=-1");
    refused("give at most 1048576 (1 TiB)", "up", "--max-push-size", "99999999999999");
    refused("'ten' is not a number of MiB", "git", "serve", "--max-push-size", "ten");
  }

  @Test
  void aNegativePodStartDelayIsRefused() {
    refused("Invalid value for option '--pod-start-delay': -5 ms is not a delay a container can take: give 0 to 600000", "up",
        "--pod-start-delay", "-5");
  }

  @Test
  void anEmptyOrForeignBindAddressIsRefused() {
    refused("Invalid value for option '--bind': an empty address: give an address of this machine", "up", "--bind", "");
    refused("an empty address", "git", "serve", "--bind=  ");
    refused("'192.0.2.1' (192.0.2.1) is not an address of this machine", "git", "serve", "--bind", "192.0.2.1");
  }

  @Test
  void portsOutsideTheRangeAreRefused() {
    refused("Invalid value for option '--port': 70000 is not a port: give 1 to 65535", "git", "serve", "--port", "70000");
    refused("-1 is not a port", "up", "--api-port=-1");
  }

  @Test
  void aDataDirThatIsAFileIsNamedPlainly() throws Exception {
    Path file = Files.writeString(tmp.resolve("lab"), "x");
    assertEquals(1, run("git", "serve", "--data-dir", file.toString()));
    assertEquals("✗ error: the data directory " + file + " is a file, not a folder", err.toString().lines().findFirst().orElse(""));
    assertFalse(err.toString().contains("null"), err.toString());
  }
}
