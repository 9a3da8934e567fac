package dev.gitopsworkshop.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What source-controller leaves out of an artifact, in gitignore syntax, with Flux's defaults. */
class SourceIgnoreTest {
  static Map<String, byte[]> files(String... pathsAndContents) {
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  static List<String> kept(Map<String, byte[]> files, String specIgnore) {
    return List.copyOf(SourceIgnore.of(files, specIgnore).filter(files).keySet());
  }

  @Test
  void withoutRulesFluxsDefaultExclusionsApply() {
    Map<String, byte[]> files = files(".github/workflows/ci.yaml", "on: push", ".gitlab-ci.yml", "x", "deploy/app.yaml", "x",
        "deploy/logo.png", "x", "deploy/sub/.sops.yaml", "x", ".gitignore", "x", "cloudbuild.yaml", "x", "deploy/cloudbuild.yaml", "x");
    assertEquals(List.of("deploy/app.yaml"), kept(files, null));
  }

  @Test
  void aSourceignoreReplacesTheDefaultsButNotTheVcsRules() {
    Map<String, byte[]> files = files(".sourceignore", "# comment\n\n*.md\n", ".github/workflows/ci.yaml", "x", "README.md", "x",
        "deploy/app.yaml", "x", ".gitignore", "x");
    assertEquals(List.of(".github/workflows/ci.yaml", ".sourceignore", "deploy/app.yaml"), kept(files, null));
  }

  @Test
  void aSourceignoreAppliesBelowItsOwnFolderOnly() {
    Map<String, byte[]> files = files("apps/.sourceignore", "*.txt\n", "apps/a.txt", "x", "apps/deep/b.txt", "x", "c.txt", "x");
    assertEquals(List.of("apps/.sourceignore", "c.txt"), kept(files, null));
  }

  @Test
  void specIgnoreComesLastAndCanBringBack() {
    Map<String, byte[]> files = files("deploy/a.yaml", "x", "deploy/b.yaml", "x", "docs/x.yaml", "x");
    assertEquals(List.of("deploy/b.yaml"), kept(files, "/*\n!/deploy\n/deploy/a.yaml\n"));
  }

  @Test
  void anchoredPatternsAndDoubleStars() {
    SourceIgnore ignore = SourceIgnore.of(Map.of(), "/top.yaml\n**/tmp/\nsecrets/**\na/**/z.yaml\n");
    assertTrue(ignore.excludes("top.yaml", false));
    assertFalse(ignore.excludes("sub/top.yaml", false));
    assertTrue(ignore.excludes("x/y/tmp/f.yaml", false));
    assertFalse(ignore.excludes("x/tmp", false), "a folder-only pattern does not match a file of that name");
    assertTrue(ignore.excludes("secrets/db.yaml", false));
    assertTrue(ignore.excludes("a/b/c/z.yaml", false));
    assertTrue(ignore.excludes("a/z.yaml", false));
  }

  @Test
  void globsFollowGosPathMatch() {
    assertTrue(Glob.match("*.y?ml", "app.yaml"));
    assertFalse(Glob.match("*", "a/b"));
    assertTrue(Glob.match("[a-c]x", "bx"));
    assertTrue(Glob.match("[^a-c]x", "dx"));
    assertTrue(Glob.match("\\*", "*"));
    assertNull(Glob.match("[a-", "a"), "a malformed pattern");
  }
}
