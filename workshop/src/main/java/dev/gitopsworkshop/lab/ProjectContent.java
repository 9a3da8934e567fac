package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.WorkshopException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's own content folders ({@code examples/}, {@code flux/}, {@code steps/},
 * {@code slides/}). The root is the system property {@code workshop.projectRoot}, else the
 * environment variable {@code WORKSHOP_HOME} (set by scripts/workshop), else derived from where
 * this code runs from ({@code <root>/workshop/target/workshop.jar} or {@code .../target/classes}).
 */
public final class ProjectContent {
  private final Path root;

  private ProjectContent(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public static ProjectContent at(Path root) {
    return new ProjectContent(root);
  }

  /** Finds the project's root folder; a clear error when it cannot be found. */
  public static ProjectContent locate() {
    String property = System.getProperty("workshop.projectRoot");
    if (property != null && !property.isBlank()) {
      return new ProjectContent(Path.of(property));
    }
    String env = System.getenv("WORKSHOP_HOME");
    if (env != null && !env.isBlank()) {
      return new ProjectContent(Path.of(env));
    }
    Path fromCode = fromCodeLocation();
    if (fromCode != null) {
      return new ProjectContent(fromCode);
    }
    throw new WorkshopException(
        "cannot find the project's folder (with examples/ and steps/)",
        "run the workshop through scripts/workshop, or set WORKSHOP_HOME to the project's folder");
  }

  private static Path fromCodeLocation() {
    try {
      Path code =
          Path.of(ProjectContent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // <root>/workshop/target/workshop.jar or <root>/workshop/target/classes
      Path target = code.getParent();
      Path module = target == null ? null : target.getParent();
      Path root = module == null ? null : module.getParent();
      return root != null && Files.isDirectory(root.resolve("examples")) ? root : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  public Path root() {
    return root;
  }

  public Path examples() {
    return root.resolve("examples");
  }

  public Path flux() {
    return root.resolve("flux");
  }

  public Path steps() {
    return root.resolve("steps");
  }

  public Path slides() {
    return root.resolve("slides");
  }
}
