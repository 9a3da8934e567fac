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
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The lab's state on disk: {@code git/} (bare repositories), {@code credentials.json},
 * {@code kubeconfig}, {@code lab.json}, {@code workspace/}. Everything a restart needs to give the
 * participant the same URL, credentials and history lives here.
 */
public final class DataDir {
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

  /** Creates the directory if needed; a clear error when it cannot be written. */
  public DataDir ensureWritable() {
    try {
      Files.createDirectories(root);
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
          "cannot use " + root + " as the data directory: " + e.getReason(),
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
