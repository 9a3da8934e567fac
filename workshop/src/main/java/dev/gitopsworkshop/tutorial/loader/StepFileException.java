package dev.gitopsworkshop.tutorial.loader;

import dev.gitopsworkshop.WorkshopException;
import java.nio.file.Path;

/** A step file the loader refuses: names the file, the line and the problem. */
public final class StepFileException extends WorkshopException {
  public StepFileException(Path file, int line, String problem) {
    super(file + ":" + line + ": " + problem, "fix the step file (its front matter is YAML between two '---' lines)", USAGE, null);
  }
}
