package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.git.GitRemote;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.git.RemoteGit;
import dev.gitopsworkshop.git.WorkshopGit;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.FollowedGit;
import dev.gitopsworkshop.state.GitCredentialStore;
import dev.gitopsworkshop.room.RoomSeat;
import dev.gitopsworkshop.state.ProjectContent;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Git a lab uses for the workshop repository: its own server, or the repository of
 * {@code --git-remote} (checked and seeded before anything else starts). A data dir whose
 * workspace clone follows another Git is refused: the tutorial done there belongs to that one.
 */
final class LabGits {
  private static final Logger LOG = LoggerFactory.getLogger(LabGits.class);

  private LabGits() {}

  static WorkshopGit start(Lab.Spec spec, DataDir dir, ProjectContent content, Consumer<String> progress) {
    WorkshopGit git;
    if (spec.gitRemote() == null) {
      GitServer server = GitServer.start(new GitServer.Options(dir, spec.bind(), spec.gitPort(), spec.maxPushBytes(), content, null));
      server.repairs().forEach(progress);
      git = WorkshopGit.served(server);
    } else {
      git = RemoteGit.connect(spec.gitRemote(), dir, content, progress);
    }
    try {
      requireWorkspaceFollows(dir, git);
      if (git.mode().equals("remote")) { // the lab's own server writes its own; git by hand reads this one
        GitCredentialStore.write(dir, git.url(), git.participant().username(), git.participant().password());
        // a start without the options finds its Git again (the commands the tool prints name the data dir only)
        new FollowedGit(git.url(), git.participant().username(), spec.room() == null ? null : spec.room().url()).write(dir);
      }
    } catch (IOException e) {
      git.close();
      throw new WorkshopException("cannot write " + GitCredentialStore.file(dir) + ": " + e.getMessage(), "check the data dir", e);
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
    return git;
  }

  /**
   * A start without {@code --git-remote} or {@code --room}: the Git this data dir's lab used before,
   * when that was not its own server, with the password its credential store keeps.
   */
  static Lab.Spec remembered(Lab.Spec spec, DataDir dir, Consumer<String> progress) {
    Optional<FollowedGit> followed = FollowedGit.read(dir);
    if (followed.isEmpty()) {
      return spec;
    }
    FollowedGit git = followed.get();
    String password = git.password(dir).orElseThrow(() -> new WorkshopException(
        "this data dir's lab uses the Git at " + git.url() + " as " + git.username() + ", and " + GitCredentialStore.file(dir)
            + " no longer has its password",
        git.roomUrl() != null
            ? "start it with your whole join line (--room " + git.roomUrl() + " --name " + git.username() + " --password ...)"
            : "start it with --git-remote " + git.url() + " --git-username " + git.username() + " --git-password (asked for, not shown)"));
    if (git.roomUrl() != null) {
      progress.accept("this data dir's lab is in the room at " + git.roomUrl() + " as " + git.username() + ": it joins again");
      return spec.withRoom(new RoomSeat(git.roomUrl(), git.username(), password));
    }
    progress.accept("this data dir's lab uses the Git at " + git.url() + " as " + git.username() + ", as when it was started with --git-remote");
    return spec.withGitRemote(GitRemote.of(git.url(), git.username(), password));
  }

  private static void requireWorkspaceFollows(DataDir dir, WorkshopGit git) {
    String origin = workspaceOrigin(dir);
    if (origin == null) {
      return;
    }
    boolean follows = git.mode().equals("remote") ? origin.equals(git.url()) : isLabServer(origin);
    if (!follows) {
      throw new WorkshopException("the tutorial in " + dir.root() + " was done with the Git at " + origin
          + ", and this lab's Git is " + git.url(),
          "use another --data-dir for this Git (this one keeps the tutorial done with the other)");
    }
  }

  /** A URL of a lab's own server: the workshop repository on this machine. */
  private static boolean isLabServer(String url) {
    URI uri = URI.create(url);
    String host = uri.getHost() == null ? "" : uri.getHost();
    return (host.equals("127.0.0.1") || host.equals("localhost")) && "/workshop.git".equals(uri.getRawPath());
  }

  /** The workspace clone's origin without any name or password in it, or null without a clone. */
  private static String workspaceOrigin(DataDir dir) {
    if (!Files.isDirectory(dir.workspace().resolve(".git"))) {
      return null;
    }
    try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.workspace().resolve(".git").toFile()).setMustExist(true).build()) {
      String url = repo.getConfig().getString("remote", "origin", "url");
      if (url == null) {
        return null;
      }
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^[^@]*@", "") + uri.getRawPath().replaceAll("/+$", "");
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("cannot read the origin of {}: {}", dir.workspace(), e.toString());
      return null;
    }
  }
}
