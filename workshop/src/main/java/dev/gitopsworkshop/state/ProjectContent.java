package dev.gitopsworkshop.state;

import dev.gitopsworkshop.WorkshopException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's own content folders ({@code examples/}, {@code flux/}, {@code steps/},
 * {@code slides/}): found through the system property {@code workshop.projectRoot}, else the
 * environment variable {@code WORKSHOP_HOME} (set by {@code scripts/workshop}), else from where the
 * jar lies ({@code <root>/workshop/target/workshop.jar}).
 */
public final class ProjectContent {
  private final Path root;

  private ProjectContent(Path root) {
    this.root = root;
  }

  public static ProjectContent at(Path root) {
    return new ProjectContent(root.toAbsolutePath().normalize());
  }

  public static ProjectContent locate() {
    String prop = System.getProperty("workshop.projectRoot");
    if (prop != null && !prop.isBlank()) {
      return checked(Path.of(prop), "the system property workshop.projectRoot");
    }
    String env = System.getenv("WORKSHOP_HOME");
    if (env != null && !env.isBlank()) {
      return checked(Path.of(env), "WORKSHOP_HOME");
    }
    try {
      Path jar = Path.of(ProjectContent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
      if (candidate != null && candidate.getParent() != null) {
        return checked(candidate.getParent(), "the jar's location");
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the error below
    }
    throw new WorkshopException(
        "cannot find the project's content (examples/, flux/, steps/)",
        "run the tool through scripts/workshop, or set WORKSHOP_HOME to the project's folder");
  }

  private static ProjectContent checked(Path root, String source) {
    ProjectContent content = at(root);
    if (!Files.isDirectory(content.examples())) {
      throw new WorkshopException(
          "the project folder named by " + source + " (" + content.root + ") has no examples/ folder",
          "point it at the gitops-workshop checkout");
    }
    return content;
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
