package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.lab.ProjectContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.util.FS;

/** The bare repositories under {@code <data-dir>/git/}, created and seeded on first use. */
public final class Repositories {
  static {
    // JGit measures the file system's timestamp resolution before its first write: about 3 s in
    // the foreground. In the background the first push is as fast as the others.
    FS.FileStoreAttributes.setBackground(true);
  }

  private final Path base;

  public Repositories(Path base) {
    this.base = base;
  }

  public Path base() {
    return base;
  }

  public Path path(String name) {
    return base.resolve(name);
  }

  public boolean exists(String name) {
    return Files.isRegularFile(path(name).resolve("HEAD"));
  }

  /**
   * Creates the bare repository {@code name} (branch {@code main}) seeded with the workshop content
   * unless it exists. {@code url} is what {@code ${WORKSHOP_GIT_URL}} becomes in flux/ files.
   * Returns whether it was created.
   */
  public boolean ensureSeeded(String name, ProjectContent content, String url) {
    if (exists(name)) {
      return false;
    }
    Path target = path(name);
    Path building = base.resolve("." + name + ".new");
    try {
      Files.createDirectories(base);
      deleteRecursively(building);
      try (Git git = Git.init().setBare(true).setInitialBranch("main").setDirectory(building.toFile()).call()) {
        configure(git.getRepository());
        new WorkshopSeed(content, url).commitTo(git.getRepository());
      }
      // A half-built repository never appears under its real name.
      Files.move(building, target);
      return true;
    } catch (IOException | GitAPIException e) {
      throw new WorkshopException(
          "cannot create the repository " + target + ": " + e.getMessage(),
          "check that the data directory is writable, or remove " + target,
          e);
    }
  }

  private static void configure(Repository repository) throws IOException {
    StoredConfig config = repository.getConfig();
    config.setBoolean("receive", null, "denyNonFastForwards", true);
    config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_LOGALLREFUPDATES, true);
    config.save();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
