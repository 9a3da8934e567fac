package dev.gitopsworkshop.demo;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.LabFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The demos' own clone of the workshop repository (under the data dir, never the participant's
 * workspace), worked on as an instructor would with git: commit, push, log, revert. Commits are
 * the instructor's, so the audit trail says who did what.
 */
final class DemoGit implements AutoCloseable {
  static final String AUTHOR = "Instructor (workshop demo)";
  static final String EMAIL = "instructor@gitops-workshop.local";

  private final Git git;
  private final UsernamePasswordCredentialsProvider credentials;

  private DemoGit(Git git, UsernamePasswordCredentialsProvider credentials) {
    this.git = git;
    this.credentials = credentials;
  }

  /** Main as the Git server holds it now, in {@code dir} (cloned, or brought exactly to main). */
  static DemoGit open(LabFile lab, Path dir) {
    UsernamePasswordCredentialsProvider credentials = new UsernamePasswordCredentialsProvider(lab.gitUsername(), lab.gitPassword());
    try {
      Git git;
      if (Files.isDirectory(dir.resolve(".git"))) {
        git = Git.open(dir.toFile());
        git.fetch().setCredentialsProvider(credentials).setRemote("origin").call();
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef("refs/remotes/origin/main").call();
        git.clean().setCleanDirectories(true).setForce(true).call();
      } else {
        Files.createDirectories(dir.getParent());
        git = Git.cloneRepository().setURI(lab.gitUrl()).setDirectory(dir.toFile()).setBranch("main")
            .setCredentialsProvider(credentials).call();
      }
      StoredConfig config = git.getRepository().getConfig();
      config.setString("user", null, "name", AUTHOR);
      config.setString("user", null, "email", EMAIL);
      config.save();
      return new DemoGit(git, credentials);
    } catch (GitAPIException | IOException e) {
      throw new WorkshopException("cannot get the workshop repository into " + dir + ": " + e.getMessage(),
          "is the lab's Git server running? see 'scripts/workshop status'", e);
    }
  }

  /** main's commit on the lab's Git server. */
  static String head(LabFile lab) {
    try {
      Collection<Ref> refs = Git.lsRemoteRepository().setRemote(lab.gitUrl()).setHeads(true).setTimeout(10)
          .setCredentialsProvider(new UsernamePasswordCredentialsProvider(lab.gitUsername(), lab.gitPassword())).call();
      return refs.stream().filter(r -> r.getName().equals("refs/heads/main")).map(r -> r.getObjectId().name()).findFirst()
          .orElseThrow(() -> new WorkshopException("the workshop repository has no main branch", "see 'scripts/workshop status'"));
    } catch (GitAPIException e) {
      throw new WorkshopException("cannot read main from the lab's Git server: " + e.getMessage(),
          "is the lab still running? see 'scripts/workshop status'", e);
    }
  }

  static String shortSha(String sha) {
    return sha.length() > 7 ? sha.substring(0, 7) : sha;
  }

  Path root() {
    return git.getRepository().getWorkTree().toPath();
  }

  RevCommit commitAll(String message) {
    try {
      git.add().addFilepattern(".").call();
      return git.commit().setMessage(message).setSign(false).call();
    } catch (GitAPIException e) {
      throw new WorkshopException("git commit failed in " + root() + ": " + e.getMessage(), null, e);
    }
  }

  void push() {
    try {
      for (PushResult result : git.push().setCredentialsProvider(credentials).setRemote("origin").add("main").call()) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
            throw new WorkshopException("the Git server refused the push: " + update.getStatus()
                + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"),
                "someone pushed meanwhile: run the demo again");
          }
        }
      }
    } catch (GitAPIException e) {
      throw new WorkshopException("git push failed: " + e.getMessage(), "is the lab still running? see 'scripts/workshop status'", e);
    }
  }

  /** Commits that changed {@code path}, newest first. */
  List<RevCommit> log(String path) {
    try {
      List<RevCommit> out = new ArrayList<>();
      git.log().addPath(path).call().forEach(out::add);
      return out;
    } catch (GitAPIException e) {
      throw new WorkshopException("git log failed: " + e.getMessage(), null, e);
    }
  }

  /** The newest commits on main, newest first. */
  List<RevCommit> recent(int count) {
    try {
      List<RevCommit> out = new ArrayList<>();
      git.log().setMaxCount(count).call().forEach(out::add);
      return out;
    } catch (GitAPIException e) {
      throw new WorkshopException("git log failed: " + e.getMessage(), null, e);
    }
  }

  /** The file as that commit has it, or null. */
  String fileAt(RevCommit commit, String path) {
    try (TreeWalk tree = TreeWalk.forPath(git.getRepository(), path, commit.getTree())) {
      return tree == null ? null : new String(git.getRepository().open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + path + " at " + shortSha(commit.name()) + ": " + e.getMessage(), null, e);
    }
  }

  /** {@code git revert --no-edit <commit>}: a new commit that undoes it, with git's message. */
  RevCommit revert(RevCommit commit) {
    try {
      var revert = git.revert().include(commit);
      RevCommit done = revert.call();
      if (done == null || revert.getFailingResult() != null
          || (revert.getUnmergedPaths() != null && !revert.getUnmergedPaths().isEmpty())) {
        git.reset().setMode(ResetCommand.ResetType.HARD).call();
        throw new WorkshopException("git revert " + shortSha(commit.name()) + " conflicts with later commits",
            "revert it by hand in a clone and resolve the conflict");
      }
      return done;
    } catch (GitAPIException e) {
      throw new WorkshopException("git revert failed: " + e.getMessage(), null, e);
    }
  }

  @Override
  public void close() {
    git.close();
  }
}
