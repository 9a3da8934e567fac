package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The project's content (steps, examples, flux) copied for a test to break on purpose. */
final class BrokenContent {
  private BrokenContent() {}

  /** A copy of the project's content to break on purpose. */
  static Path copy(Path tmp) throws IOException {
    Path root = tmp.resolve("content");
    for (String dir : new String[] {"steps", "examples", "flux"}) {
      Path from = Cli.projectRoot().resolve(dir);
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path p : walk.toList()) {
          Path to = root.resolve(dir).resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    return root;
  }

  static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.contains(from), from + " in " + file);
    Files.writeString(file, text.replace(from, to));
  }
}
