package dev.gitopsworkshop.demo;

import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** podinfo's manifest in a clone of the workshop repository: which file sets its image, and to what. */
final class PodinfoManifest {
  private static final Pattern IMAGE = Pattern.compile("(?m)^\\s*image:\\s*(\\S+)");

  private PodinfoManifest() {}

  /** The file under the Kustomization's path that sets podinfo's image to {@code image}, relative to the clone. */
  static String settingImage(Path root, String ksPath, String image) {
    Path dir = root.resolve(ksPath).normalize();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        String text = read(f);
        if (text.contains("name: " + DemoLab.PODINFO) && text.contains("image: " + image)) {
          return root.relativize(f).toString();
        }
      }
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + dir + ": " + e.getMessage(), null, e);
    }
    throw new WorkshopException("no file under " + ksPath + " in Git sets podinfo's image to " + image + " (what the cluster runs)",
        "bring Git and the cluster together first: 'scripts/workshop check 4'");
  }

  /** The first image a manifest names, or a word saying there is none. */
  static String image(String manifest) {
    if (manifest == null) {
      return "(no file)";
    }
    Matcher m = IMAGE.matcher(manifest);
    return m.find() ? m.group(1) : "(no image)";
  }

  /** The same repository with another tag (a digest or a registry's port is not a tag). */
  static String withTag(String image, String tag) {
    int at = image.indexOf('@');
    String base = at >= 0 ? image.substring(0, at) : image;
    int colon = base.lastIndexOf(':');
    return (colon > base.lastIndexOf('/') ? base.substring(0, colon) : base) + ":" + tag;
  }

  /** Rewrites {@code image: from} as {@code image: to} in the file, keeping everything else. */
  static void setImage(Path file, String from, String to) {
    try {
      Files.writeString(file, read(file).replace("image: " + from, "image: " + to));
    } catch (IOException e) {
      throw new WorkshopException("cannot write " + file + ": " + e.getMessage(), null, e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + p + ": " + e.getMessage(), null, e);
    }
  }
}
