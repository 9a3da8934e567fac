package dev.gitopsworkshop.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's tag files as the lab finds them on disk, damaged ones included. */
class TagStoreTest {
  @TempDir Path tmp;

  @Test
  void bytesThatAreNotTagsAreSkippedAndNamedAndTheTagsAroundThemKept() throws Exception {
    Path dir = tmp.resolve("registry");
    Path file = dir.resolve("stefanprodan/podinfo.tags");
    Files.createDirectories(file.getParent());
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.write("# tags\n6.5.0\n".getBytes(StandardCharsets.UTF_8));
    byte[] noise = new byte[64];
    new Random(18).nextBytes(noise);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = noise[i] == '\n' ? (byte) 0xff : noise[i];
    }
    content.write(noise);
    content.write("\n6.5.9\nnot a tag!\n".getBytes(StandardCharsets.UTF_8));
    Files.write(file, content.toByteArray());

    TagStore store = TagStore.open(dir);
    assertTrue(store.has(TagStore.PODINFO, "6.5.0") && store.has(TagStore.PODINFO, "6.5.9"));
    assertEquals(List.of("stefanprodan/podinfo.tags line 3 (not an image tag)", "stefanprodan/podinfo.tags line 5 (not an image tag)"),
        store.skipped());
    assertArrayEquals(content.toByteArray(), Files.readAllBytes(file), "the file is left as it was: nothing lost");
  }

  @Test
  void aSoundStoreSkipsNothing() {
    TagStore store = TagStore.open(tmp.resolve("registry"));
    assertTrue(store.skipped().isEmpty());
    assertFalse(store.tags(TagStore.PODINFO).orElseThrow().isEmpty());
  }
}
