package dev.gitopsworkshop.projector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workshop repository's latest commits on main, read with JGit from the lab's bare repository
 * (what the Git server serves), marked with what Flux has fetched and applied.
 */
final class GitHistory {
  private static final Logger LOG = LoggerFactory.getLogger(GitHistory.class);
  static final String BRANCH = "refs/heads/main";
  private final Path bareRepository;

  GitHistory(Path bareRepository) {
    this.bareRepository = bareRepository;
  }

  /** One commit's first line, for the timeline: {@code abc1234 Add podinfo (Participant)}. */
  Optional<String> describe(String id) {
    if (!Files.isDirectory(bareRepository)) {
      return Optional.empty();
    }
    try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(ObjectId.fromString(id));
      return Optional.of(id.substring(0, 7) + " " + c.getShortMessage() + " (" + c.getAuthorIdent().getName() + ")");
    } catch (IOException | IllegalArgumentException e) {
      LOG.debug("no commit {} in {}", id, bareRepository, e);
      return Optional.empty();
    }
  }

  /**
   * {@code {head, commits: [{sha, short, author, message, time, applied, fetched}]}}, newest first.
   *
   * @param applied the commits a Kustomization reports as applied
   * @param fetched the commits a GitRepository reports as fetched
   */
  ObjectNode latest(int count, Set<String> applied, Set<String> fetched) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode commits = out.putArray("commits");
    if (!Files.isDirectory(bareRepository)) {
      out.put("head", "");
      return out;
    }
    try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
      ObjectId head = repo.resolve(BRANCH);
      out.put("head", head == null ? "" : head.name());
      if (head == null) {
        return out;
      }
      walk.markStart(walk.parseCommit(head));
      int n = 0;
      for (RevCommit c : walk) {
        if (n++ >= count) {
          break;
        }
        commits.addObject()
            .put("sha", c.name())
            .put("short", c.name().substring(0, 7))
            .put("author", c.getAuthorIdent().getName())
            .put("message", c.getShortMessage())
            .put("time", Instant.ofEpochSecond(c.getCommitTime()).toString())
            .put("applied", applied.contains(c.name()))
            .put("fetched", fetched.contains(c.name()));
      }
    } catch (IOException e) {
      out.put("error", "cannot read the workshop repository: " + e.getMessage());
    }
    return out;
  }

  private Repository open() throws IOException {
    return new FileRepositoryBuilder().setGitDir(bareRepository.toFile()).setMustExist(true).build();
  }
}
