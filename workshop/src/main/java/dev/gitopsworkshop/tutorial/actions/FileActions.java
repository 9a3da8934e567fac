package dev.gitopsworkshop.tutorial.actions;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Edits a participant makes to files of the workspace clone (paths are relative to it). */
public final class FileActions {
  private FileActions() {}

  /** {@code copy}: a file of the workspace to another place in it, as {@code cp}. */
  public record Copy(String from, String to) implements Action {
    @Override
    public boolean usesWorkspace() {
      return true;
    }

    @Override
    public void run(TutorialContext c) throws Exception {
      Path source = existing(c, from);
      Path target = inside(c, to);
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String describe() {
      return "cp " + from + " " + to;
    }
  }

  /** {@code removeFile}: a file of the workspace deleted (staged by the next commit). */
  public record RemoveFile(String path) implements Action {
    @Override
    public boolean usesWorkspace() {
      return true;
    }

    @Override
    public void run(TutorialContext c) throws Exception {
      Files.deleteIfExists(inside(c, path));
    }

    @Override
    public String describe() {
      return "git rm " + path;
    }
  }

  /** {@code removeWorkspace}: the lab's workspace clone goes (undoing step 0). */
  public record RemoveWorkspace() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Path ws = c.workspace();
      if (!Files.exists(ws)) {
        return;
      }
      try (var walk = Files.walk(ws)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }

    @Override
    public String describe() {
      return "rm -rf the workspace clone";
    }
  }

  /** {@code replaceText}: every occurrence of a text in a file replaced; an absent text is an error. */
  public record ReplaceText(String file, String from, String to) implements Action {
    @Override
    public boolean usesWorkspace() {
      return true;
    }

    @Override
    public void run(TutorialContext c) throws Exception {
      Path target = existing(c, file);
      String text = Files.readString(target);
      if (!text.contains(from)) {
        throw new WorkshopException(file + " does not contain '" + from + "'", "was the file changed by hand? look at it in the workspace");
      }
      Files.writeString(target, text.replace(from, to));
    }

    /** The same edit as a sed command that works when pasted: a delimiter neither text holds, regex characters escaped. */
    @Override
    public String describe() {
      char d = "|#,@%/".chars().filter(ch -> from.indexOf(ch) < 0 && to.indexOf(ch) < 0).mapToObj(ch -> (char) ch).findFirst()
          .orElseThrow(() -> new IllegalStateException("no sed delimiter for " + from));
      String pattern = from.replaceAll("([\\\\.*\\[\\]^$])", "\\\\$1");
      String replacement = to.replaceAll("([\\\\&])", "\\\\$1");
      return PrintedCommands.quote("s" + d + pattern + d + replacement + d).transform(script -> "sed -i " + script + " " + file);
    }
  }

  /**
   * {@code replaceLine}: every line that contains a text replaced by another line, with the
   * original line's indentation kept; no such line is fine (already replaced: resets run again).
   */
  public record ReplaceLine(String file, String containing, String with) implements Action {
    @Override
    public boolean usesWorkspace() {
      return true;
    }

    @Override
    public void run(TutorialContext c) throws Exception {
      Path target = existing(c, file);
      List<String> lines = new ArrayList<>(Files.readAllLines(target));
      boolean found = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.contains(containing)) {
          String indent = line.substring(0, line.length() - line.stripLeading().length());
          lines.set(i, indent + with.strip());
          found = true;
        }
      }
      if (found) {
        Files.write(target, lines);
      }
    }

    @Override
    public String describe() {
      return "in " + file + ", replace the line containing '" + containing + "' by '" + with + "'";
    }
  }

  /**
   * {@code setField}: one scalar of a YAML file, found by its dotted path ({@code spec.replicas}),
   * edited in place so that comments and layout stay as the participant would leave them.
   */
  public record SetField(String file, String path, String value) implements Action {
    @Override
    public boolean usesWorkspace() {
      return true;
    }

    @Override
    public void run(TutorialContext c) throws Exception {
      Path target = existing(c, file);
      List<String> lines = new ArrayList<>(Files.readAllLines(target));
      int at = YamlLines.find(lines, path.split("\\."));
      if (at < 0) {
        throw new WorkshopException(file + " has no field " + path, "look at the file in the workspace");
      }
      lines.set(at, YamlLines.withValue(lines.get(at), value));
      Files.write(target, lines);
    }

    @Override
    public String describe() {
      return "set " + path + " to " + value + " in " + file;
    }
  }

  static Path inside(TutorialContext c, String relative) {
    Path p = c.workspace().resolve(relative).normalize();
    if (!p.startsWith(c.workspace().normalize())) {
      throw new WorkshopException(relative + " is outside the workspace", "step files name paths inside the workshop repository");
    }
    return p;
  }

  static Path existing(TutorialContext c, String relative) {
    Path p = inside(c, relative);
    if (!Files.isRegularFile(p)) {
      throw new WorkshopException(relative + " is not in the workspace clone", "is step 0 done? ('" + c.fill("{{workshop check 0}}") + "')");
    }
    return p;
  }
}
