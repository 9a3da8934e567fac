package dev.gitopsworkshop.state;

import dev.gitopsworkshop.Shell;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Commands the tool prints for people to paste: {@code scripts/workshop ...} with the data dir the
 * lab runs in, and paths quoted for the shell. A command meant for this terminal stays short
 * ({@code scripts/workshop check 4}) when it is run from the project's folder with the default data
 * dir; otherwise it names the launcher and the data dir by their full paths, so that it works
 * wherever it is pasted (the participant's second terminal is usually in the workspace clone).
 */
public final class PrintedCommands {
  private static final String LAUNCHER = "scripts/workshop";

  private PrintedCommands() {}

  /** {@code scripts/workshop ARGS [--data-dir DIR]} as typed in the terminal this process runs in. */
  public static String workshop(DataDir dir, String args) {
    return workshop(dir, args, Path.of("").toAbsolutePath().normalize(), projectRoot());
  }

  /** {@link #workshop(DataDir, String)} run from {@code cwd}, with the project in {@code root} (null: unknown). */
  static String workshop(DataDir dir, String args, Path cwd, Path root) {
    boolean here = root != null && root.equals(cwd);
    String launcher = here || root == null ? LAUNCHER : quote(root.resolve(LAUNCHER).toString());
    boolean defaultDir = here && dir.root().equals(cwd.resolve(".workshop"));
    return launcher + " " + args + (defaultDir ? "" : " --data-dir " + quote(dir.root().toString()));
  }

  /** Like {@link #workshop}, but for any terminal: the launcher and the data dir by their full paths. */
  public static String workshopAnywhere(DataDir dir, String args) {
    return workshopAnywhere(dir, args, projectRoot());
  }

  static String workshopAnywhere(DataDir dir, String args, Path root) {
    String launcher = root == null ? LAUNCHER : quote(root.resolve(LAUNCHER).toString());
    return launcher + " " + args + " --data-dir " + quote(dir.root().toString());
  }

  /** {@code export KUBECONFIG=...}: what a terminal needs for kubectl to reach the lab. */
  public static String exportKubeconfig(String kubeconfig) {
    return "export KUBECONFIG=" + quote(kubeconfig);
  }

  /** A word for a POSIX shell: as it is when it needs no quoting, else in single quotes. */
  public static String quote(String word) {
    return Shell.quote(word);
  }

  private static Path projectRoot() {
    try {
      return ProjectContent.locate().root();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(PrintedCommands.class).debug("the project's folder is unknown ({}): commands name scripts/workshop", e.getMessage());
      return null;
    }
  }
}
