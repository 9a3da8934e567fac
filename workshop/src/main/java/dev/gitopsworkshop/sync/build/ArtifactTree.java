package dev.gitopsworkshop.sync.build;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** An artifact's files seen as a tree of folders, walked in the order Go's file walk takes. */
final class ArtifactTree {
  /** The names kustomize recognises, in the order it looks for them. */
  static final String[] KUSTOMIZATION_FILES = {"kustomization.yaml", "kustomization.yml", "Kustomization"};

  private final NavigableMap<String, byte[]> files;

  ArtifactTree(Map<String, byte[]> files) {
    this.files = files instanceof NavigableMap<String, byte[]> sorted ? sorted : new TreeMap<>(files);
  }

  Map<String, byte[]> files() {
    return files;
  }

  boolean isFile(String path) {
    return files.containsKey(path);
  }

  /** A folder exists when a file is below it (Git keeps no empty folders); the root always does. */
  boolean isDir(String path) {
    if (path.isEmpty()) {
      return true;
    }
    String prefix = path + "/";
    String next = files.ceilingKey(prefix);
    return next != null && next.startsWith(prefix);
  }

  byte[] read(String path) {
    return files.get(path);
  }

  /** The kustomization file of a folder, if it has one. */
  Optional<String> kustomizationFile(String dir) {
    for (String name : KUSTOMIZATION_FILES) {
      String path = join(dir, name);
      if (files.containsKey(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  /** The names directly in a folder (files and sub-folders), sorted by name as Go sorts them. */
  TreeSet<String> children(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    TreeSet<String> names = new TreeSet<>(ArtifactTree::byteOrder);
    for (String f : files.tailMap(prefix, true).keySet()) {
      if (!f.startsWith(prefix)) {
        break;
      }
      String rest = f.substring(prefix.length());
      int slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : rest.substring(0, slash));
    }
    return names;
  }

  static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  private static int byteOrder(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
