package dev.gitopsworkshop.sync.build;

/**
 * A build that failed, with the reason Flux gives the Kustomization's Ready condition
 * ({@code BuildFailed}, or {@code ArtifactFailed} when the path is not in the artifact) and a
 * message that names the file and the problem.
 */
public final class BuildFailure extends RuntimeException {
  public static final String BUILD_FAILED = "BuildFailed";
  public static final String ARTIFACT_FAILED = "ArtifactFailed";

  private final String reason;

  public BuildFailure(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A failure of kustomize build or of the post-build stage. */
  public static BuildFailure build(String message) {
    return new BuildFailure(BUILD_FAILED, message);
  }

  public String reason() {
    return reason;
  }
}
