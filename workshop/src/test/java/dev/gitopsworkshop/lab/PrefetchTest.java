package dev.gitopsworkshop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which images prefetch saves for k3s besides Flux's: those the project's examples run. */
class PrefetchTest {
  @TempDir Path tmp;

  @Test
  void findsThePodinfoImageOfTheProjectsExamples() {
    assertEquals(List.of("ghcr.io/stefanprodan/podinfo:6.5.0"), Prefetch.exampleImages(Cli.projectRoot().resolve("examples")));
  }

  @Test
  void readsImagesInAnyYamlStyleOnceEach() throws Exception {
    Files.writeString(tmp.resolve("a.yaml"), """
        containers:
          - image: "ghcr.io/example/one:1.0"  # quoted, with a comment
          - name: two
            image: docker.io/example/two:2.0
        """);
    Files.writeString(tmp.resolve("b.yml"), "spec:\n  containers:\n  - {name: x}\n  - image: 'ghcr.io/example/one:1.0'\n");
    Files.writeString(tmp.resolve("notes.txt"), "image: not/this:one\n");
    assertEquals(List.of("ghcr.io/example/one:1.0", "docker.io/example/two:2.0"), Prefetch.exampleImages(tmp));
  }
}
