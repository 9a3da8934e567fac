package dev.gitopsworkshop.state;

import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's state on disk: {@code git/} (bare repositories), {@code credentials.json},
 * {@code kubeconfig}, {@code lab.json}, {@code workspace/}. Everything a restart needs to give the
 * participant the same URL, credentials and history lives here.
 */
public final class DataDir {
  private static final Logger LOG = LoggerFactory.getLogger(DataDir.class);
  /** The Git server's accounts (GitCredentials keeps them). */
  public static final String CREDENTIALS = "credentials.json";
  private final Path root;

  private DataDir(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public static DataDir at(Path root) {
    return new DataDir(root);
  }

  public Path root() {
    return root;
  }

  public Path git() {
    return root.resolve("git");
  }

  public Path labJson() {
    return root.resolve("lab.json");
  }

  public Path kubeconfig() {
    return root.resolve("kubeconfig");
  }

  public Path workspace() {
    return root.resolve("workspace");
  }

  public Path resolve(String name) {
    return root.resolve(name);
  }

  /**
   * Creates the directory if needed, readable only by the user (mode 0700, whatever the umask: it
   * holds passwords); a clear error when it is a file or cannot be written.
   */
  public DataDir ensureWritable() {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new WorkshopException("the data directory " + root + " is a file, not a folder",
          "choose another --data-dir, or move the file away");
    }
    try {
      if (!Files.isDirectory(root)) {
        Files.createDirectories(root);
        restrictDirectoryToOwner(root);
      } else {
        tightenIfLabOnly();
      }
      Path probe = Files.createTempFile(root, ".probe", ".tmp");
      Files.delete(probe);
      return this;
    } catch (AccessDeniedException e) {
      throw new WorkshopException(
          "the data directory " + root + " is not writable",
          "choose another one with --data-dir, or fix its permissions",
          e);
    } catch (FileSystemException e) {
      throw new WorkshopException(
          "cannot use " + root + " as the data directory: " + (e.getReason() != null ? e.getReason() : e.toString()),
          "choose another one with --data-dir",
          e);
    } catch (IOException e) {
      throw new WorkshopException(
          "cannot use " + root + " as the data directory: " + e.getMessage(),
          "choose another one with --data-dir",
          e);
    }
  }

  /**
   * A data dir from an older version, or made by hand, that others can open is made 0700 when it
   * is empty or already holds the lab's passwords; any other folder (the user's own, given as
   * --data-dir) is left as it is, with a log line: its secrets are 0600 files anyway.
   */
  private void tightenIfLabOnly() throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(root, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> mode = view.readAttributes().permissions();
    if (mode.stream().noneMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
      return;
    }
    boolean empty;
    try (Stream<Path> entries = Files.list(root)) {
      empty = entries.findAny().isEmpty();
    }
    if (empty || Files.exists(root.resolve(CREDENTIALS))) {
      restrictDirectoryToOwner(root);
      LOG.info("the data directory {} was open to others (mode {}); now 0700", root, PosixFilePermissions.toString(mode));
    } else {
      LOG.warn("the data directory {} is open to others (mode {}) and is not only the lab's: left as it is",
          root, PosixFilePermissions.toString(mode));
    }
  }

  /** Mode 0700 where the file system knows POSIX permissions. */
  public static void restrictDirectoryToOwner(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      dir.toFile().setReadable(false, false);
      dir.toFile().setExecutable(false, false);
      dir.toFile().setReadable(true, true);
      dir.toFile().setExecutable(true, true);
    }
  }

  /**
   * Writes a file atomically (a temporary file renamed over it), readable and writable only by the
   * user when {@code secret}: credentials and lab.json carry passwords.
   */
  public static void writeAtomically(Path file, String content, boolean secret) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      if (secret) {
        restrictToOwner(tmp);
      }
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Mode 0600 where the file system knows POSIX permissions. */
  public static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
    }
  }
}
