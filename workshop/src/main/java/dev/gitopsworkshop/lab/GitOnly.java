package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.git.GitCredentials;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.DataDirLock;
import dev.gitopsworkshop.state.LabFile;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's Git server on its own ({@code git serve}): it owns the data dir as a whole lab does, so
 * that it never serves beside an {@code up} in the same data dir, and describes itself in lab.json
 * (the Git section only) while it runs.
 */
public final class GitOnly implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GitOnly.class);
  private final DataDir dataDir;
  private final DataDirLock owner;
  private final GitServer git;

  private GitOnly(DataDir dataDir, DataDirLock owner, GitServer git) {
    this.dataDir = dataDir;
    this.owner = owner;
    this.git = git;
  }

  public static GitOnly start(GitServer.Options options) {
    DataDir dir = options.dataDir();
    DataDirLock owner = DataDirLock.acquire(dir, "git serve");
    GitServer git;
    try {
      git = GitServer.start(options);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
    GitOnly served = new GitOnly(dir, owner, git);
    LabFile lab = LabFile.empty();
    Lab.describeGit(lab, git, git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY));
    lab.json().put("pid", ProcessHandle.current().pid());
    try {
      lab.write(dir);
    } catch (IOException e) {
      served.close();
      throw new WorkshopException("cannot write " + dir.labJson() + ": " + e.getMessage(), "check the data dir", e);
    }
    return served;
  }

  public GitServer git() {
    return git;
  }

  public DataDir dataDir() {
    return dataDir;
  }

  /** Stops serving; lab.json goes, and the data dir is free for the next owner. */
  @Override
  public void close() {
    try {
      git.close();
      Files.deleteIfExists(dataDir.labJson());
    } catch (IOException e) {
      LOG.warn("cannot remove {} (the next start replaces it): {}", dataDir.labJson(), e.toString());
    } finally {
      owner.close();
    }
  }
}
