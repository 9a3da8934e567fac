package dev.gitopsworkshop.git;

import dev.gitopsworkshop.state.ProjectContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Git a lab uses for the workshop repository: its own server ({@link #served}) or a repository
 * on another host ({@link RemoteGit}). Everything else in the lab (Flux's source, the nudges, the
 * projector, a new cluster's operator) sees only this.
 */
public interface WorkshopGit extends AutoCloseable {
  /** What lab.json says as {@code git.mode}: {@code lab} (the lab's own server) or {@code remote}. */
  String mode();

  /** The workshop repository's URL, as the participant clones it from this machine. */
  String url();

  Account participant();

  /** The account Flux uses (step 2's Secret); it may push (image automation). */
  Account operator();

  /** One event per change of a branch: after a push to the lab's server, or when a poll sees one. */
  PushEvents pushEvents();

  /** A bare repository on this machine holding main as the Git has it (for reading). */
  Path repository();

  /** The push events as server-sent events for other processes, or null (they then poll). */
  String eventsUrl();

  /** The port on this machine a cluster in a container must reach for Git, or 0 when Git is elsewhere. */
  int hostPort();

  /**
   * Keeps the lab's own files in the repository in step with how the lab runs (see
   * {@link WorkshopRepository#refreshOperatorFiles}); a remote gets the commit pushed.
   *
   * @return the paths changed (empty: nothing committed)
   */
  List<String> refreshOperatorFiles(ProjectContent content, String clusterGitUrl, Path installManifest) throws IOException;

  @Override
  void close();

  /** The lab's own Git server as the workshop's Git. */
  static WorkshopGit served(GitServer server) {
    return new WorkshopGit() {
      @Override
      public String mode() {
        return "lab";
      }

      @Override
      public String url() {
        return server.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY);
      }

      @Override
      public Account participant() {
        return server.participant();
      }

      @Override
      public Account operator() {
        return server.operator();
      }

      @Override
      public PushEvents pushEvents() {
        return server.pushEvents();
      }

      @Override
      public Path repository() {
        return server.repositoryPath(GitCredentials.WORKSHOP_REPOSITORY);
      }

      @Override
      public String eventsUrl() {
        return server.eventsUrl();
      }

      @Override
      public int hostPort() {
        return server.port();
      }

      @Override
      public List<String> refreshOperatorFiles(ProjectContent content, String clusterGitUrl, Path installManifest) throws IOException {
        return WorkshopRepository.refreshOperatorFiles(repository(), content, clusterGitUrl, installManifest);
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}
