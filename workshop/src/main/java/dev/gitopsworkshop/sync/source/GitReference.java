package dev.gitopsworkshop.sync.source;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A GitRepository's {@code spec.ref}, resolved with the precedence source-controller's checkout
 * has (which is not quite the one its API documentation states): {@code commit} over everything
 * (combined with {@code branch} it must be on that branch), then {@code name}, then {@code tag},
 * then {@code semver}, then {@code branch}, which defaults to {@code master}. Revisions are written
 * in Flux's formats: {@code main@sha1:<sha>}, {@code v1.2.0@sha1:<sha>}, {@code sha1:<sha>},
 * {@code refs/heads/main@sha1:<sha>}.
 */
public record GitReference(Strategy strategy, String branch, String tag, String semver, String name, String commit) {
  /** Which field decides what is checked out. */
  public enum Strategy { COMMIT, NAME, TAG, SEMVER, BRANCH }

  public static final String DEFAULT_BRANCH = "master";

  public static GitReference of(JsonNode ref) {
    String branch = ref.path("branch").asText("");
    String tag = ref.path("tag").asText("");
    String semver = ref.path("semver").asText("");
    String name = ref.path("name").asText("");
    String commit = ref.path("commit").asText("");
    Strategy s = !commit.isEmpty() ? Strategy.COMMIT : !name.isEmpty() ? Strategy.NAME : !tag.isEmpty() ? Strategy.TAG
        : !semver.isEmpty() ? Strategy.SEMVER : Strategy.BRANCH;
    return new GitReference(s, branch.isEmpty() && s == Strategy.BRANCH ? DEFAULT_BRANCH : branch, tag, semver, name, commit);
  }

  public static GitReference branch(String branch) {
    return new GitReference(Strategy.BRANCH, branch, "", "", "", "");
  }

  /**
   * The artifact revision of {@code sha} checked out through {@code ref} (the full ref it came
   * from, such as {@code refs/tags/v1.2.0}; empty for a bare commit).
   */
  public String revision(String ref, String sha) {
    String digest = "sha1:" + sha;
    if (!name.isEmpty()) {
      return ref + "@" + digest; // a ref name is kept whole
    }
    String[] parts = ref.split("/", 3); // refs/heads/feature/x -> feature/x
    return parts.length == 3 ? parts[2] + "@" + digest : digest;
  }

  /** How a message names this reference: {@code branch 'main'}, {@code semver '>=1.0.0'}... */
  public String describe() {
    return switch (strategy) {
      case COMMIT -> "commit '" + commit + "'" + (branch.isEmpty() ? "" : " on branch '" + branch + "'");
      case NAME -> "ref '" + name + "'";
      case TAG -> "tag '" + tag + "'";
      case SEMVER -> "semver '" + semver + "'";
      case BRANCH -> "branch '" + branch + "'";
    };
  }
}
