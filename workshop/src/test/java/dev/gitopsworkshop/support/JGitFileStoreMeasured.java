package dev.gitopsworkshop.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.util.FS;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Before any test of a JVM runs, lets JGit measure the file system's timestamp resolution once, to
 * the end, in a folder of the build's own. Left to the first JGit write of some test, the
 * measurement goes on for seconds in the background, writing a probe file into that test's
 * temporary folder and recreating it, so that JUnit can fail to delete the folder.
 */
public final class JGitFileStoreMeasured implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Path dir = Path.of("target", "jgit-filestore").toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FS.FileStoreAttributes.setBackground(false);
    FS.FileStoreAttributes.get(dir);
  }
}
