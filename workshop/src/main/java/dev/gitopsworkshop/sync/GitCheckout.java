package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.sync.image.SemverRange;
import dev.gitopsworkshop.sync.image.SemverVersion;
import dev.gitopsworkshop.sync.source.GitReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.TagOpt;

/**
 * What a GitRepository's {@code spec.ref} checks out, fetched into the bare cache as
 * source-controller's checkout strategies do: one branch, tag or ref name fetched alone; every tag
 * for a semver range, the highest match chosen; a commit, which must be reachable from its branch
 * (from any branch without one). Failures use Flux's words.
 *
 * @param ref the full ref the commit was reached through (empty for a bare commit)
 * @param commit the commit checked out
 */
record GitCheckout(String ref, ObjectId commit) {
  static GitCheckout of(Git git, String url, GitReference ref, CredentialsProvider credentials, int timeoutSeconds)
      throws GitAPIException, IOException {
    return switch (ref.strategy()) {
      case BRANCH -> single(git, url, ref, "refs/heads/" + ref.branch(), credentials, timeoutSeconds);
      case TAG -> single(git, url, ref, "refs/tags/" + ref.tag(), credentials, timeoutSeconds);
      case NAME -> single(git, url, ref, ref.name(), credentials, timeoutSeconds);
      case SEMVER -> semver(git, url, ref, credentials, timeoutSeconds);
      case COMMIT -> commit(git, url, ref, credentials, timeoutSeconds);
    };
  }

  private static FetchResult fetch(Git git, String url, CredentialsProvider credentials, int timeoutSeconds, String... refSpecs)
      throws GitAPIException {
    var fetch = git.fetch().setRemote(url).setTimeout(timeoutSeconds).setTagOpt(TagOpt.NO_TAGS).setRefSpecs(refSpecs);
    if (credentials != null) {
      fetch.setCredentialsProvider(credentials);
    }
    return fetch.call();
  }

  /** A branch, a tag or a ref name: one ref, fetched alone. */
  private static GitCheckout single(Git git, String url, GitReference ref, String fullRef, CredentialsProvider credentials,
      int timeoutSeconds) throws GitAPIException, IOException {
    if (fullRef.startsWith("/") || fullRef.endsWith("/")) {
      throw revisionFailure("ref " + fullRef + " is invalid; Git refs cannot begin or end with a slash '/'");
    }
    String local = fullRef.endsWith("^{}") ? fullRef.substring(0, fullRef.length() - 3) : fullRef;
    FetchResult result;
    try {
      result = fetch(git, url, credentials, timeoutSeconds, "+" + local + ":" + local);
    } catch (TransportException e) {
      if (String.valueOf(e.getMessage()).contains("Remote does not have " + local)) {
        throw missingRef(url, ref);
      }
      throw e;
    }
    Ref advertised = result.getAdvertisedRef(local);
    if (advertised == null) {
      throw missingRef(url, ref);
    }
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      return new GitCheckout(fullRef, walk.parseCommit(advertised.getObjectId()).getId());
    }
  }

  /** The highest tag in the range; among equal versions the one on the newest commit, as Flux picks. */
  private static GitCheckout semver(Git git, String url, GitReference ref, CredentialsProvider credentials, int timeoutSeconds)
      throws GitAPIException, IOException {
    SemverRange range;
    try {
      range = SemverRange.parse(ref.semver());
    } catch (SemverRange.InvalidRange e) {
      throw revisionFailure("semver parse error: " + e.getMessage() + " (check spec.ref.semver, for example '>=1.0.0 <2.0.0' or '1.x')");
    }
    FetchResult result = fetch(git, url, credentials, timeoutSeconds, "+refs/tags/*:refs/tags/*");
    record Candidate(String tag, SemverVersion version, RevCommit commit) {}
    List<Candidate> candidates = new ArrayList<>();
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      for (Ref r : result.getAdvertisedRefs()) {
        String name = r.getName();
        if (!name.startsWith("refs/tags/") || name.endsWith("^{}")) {
          continue;
        }
        String tag = name.substring("refs/tags/".length());
        if (tag.split("\\.", 3).length != 3) {
          continue; // Flux reads only tags with three dot-separated parts as versions
        }
        Optional<SemverVersion> v = SemverVersion.parse(tag).filter(range::matches);
        if (v.isPresent()) {
          candidates.add(new Candidate(tag, v.get(), walk.parseCommit(r.getObjectId())));
        }
      }
    }
    Candidate best = candidates.stream()
        .max(Comparator.comparing(Candidate::version).thenComparingInt(c -> c.commit().getCommitTime()))
        .orElseThrow(() -> revisionFailure("no match found for semver: " + ref.semver()
            + " (the repository's tags: " + tagNames(result) + ")"));
    return new GitCheckout("refs/tags/" + best.tag(), best.commit().getId());
  }

  private static String tagNames(FetchResult result) {
    List<String> tags = result.getAdvertisedRefs().stream().map(Ref::getName)
        .filter(n -> n.startsWith("refs/tags/") && !n.endsWith("^{}")).map(n -> n.substring("refs/tags/".length())).sorted().toList();
    return tags.isEmpty() ? "none" : String.join(", ", tags.size() > 10 ? tags.subList(tags.size() - 10, tags.size()) : tags);
  }

  /** A commit, which must be reachable from the branch when one is given (from any branch otherwise). */
  private static GitCheckout commit(Git git, String url, GitReference ref, CredentialsProvider credentials, int timeoutSeconds)
      throws GitAPIException, IOException {
    List<String> specs = new ArrayList<>();
    specs.add(ref.branch().isEmpty() ? "+refs/heads/*:refs/heads/*" : "+refs/heads/" + ref.branch() + ":refs/heads/" + ref.branch());
    if (!ref.name().isEmpty() && !ref.name().startsWith("refs/heads/")) {
      specs.add("+" + ref.name() + ":" + ref.name());
    }
    FetchResult result;
    try {
      result = fetch(git, url, credentials, timeoutSeconds, specs.toArray(String[]::new));
    } catch (TransportException e) {
      if (String.valueOf(e.getMessage()).contains("Remote does not have refs/heads/")) {
        throw GitFetcher.missingBranch(url, ref.branch());
      }
      throw e;
    }
    Repository repo = git.getRepository();
    try (RevWalk walk = new RevWalk(repo)) {
      ObjectId id = ObjectId.isId(ref.commit()) ? ObjectId.fromString(ref.commit()) : null;
      RevCommit commit = id == null || !repo.getObjectDatabase().has(id) ? null : walk.parseCommit(id);
      boolean reachable = false;
      for (Ref tip : result.getAdvertisedRefs()) {
        String n = tip.getName();
        boolean fetched = ref.branch().isEmpty() ? n.startsWith("refs/heads/") : n.equals("refs/heads/" + ref.branch());
        if (commit != null && (fetched || n.equals(ref.name())) && !reachable) {
          reachable = walk.isMergedInto(commit, walk.parseCommit(tip.getObjectId()));
          walk.reset();
        }
      }
      if (!reachable) {
        throw revisionFailure("unable to resolve commit object for '" + ref.commit() + "': object not found (the commit must be the full"
            + " 40-character SHA of a pushed commit" + (ref.branch().isEmpty() ? "" : " on branch '" + ref.branch() + "'") + ")");
      }
      String via = !ref.name().isEmpty() ? ref.name() : ref.branch().isEmpty() ? "" : "refs/heads/" + ref.branch();
      return new GitCheckout(via, commit.getId());
    }
  }

  private static GitFetcher.FetchFailure revisionFailure(String what) {
    return new GitFetcher.FetchFailure("GitOperationFailed", "failed to checkout and determine revision: " + what);
  }

  private static GitFetcher.FetchFailure missingRef(String url, GitReference ref) {
    return switch (ref.strategy()) {
      case TAG -> GitFetcher.failure(url, "couldn't find remote ref \"refs/tags/" + ref.tag() + "\": the repository has no tag '" + ref.tag()
          + "' (check spec.ref.tag, and that the tag was pushed: git push origin " + ref.tag() + ")");
      case NAME -> revisionFailure("unable to resolve ref '" + ref.name() + "' to a specific commit (check spec.ref.name, a full"
          + " ref such as refs/heads/main or refs/tags/v1.0.0)");
      default -> GitFetcher.missingBranch(url, ref.branch());
    };
  }
}
