package dev.gitopsworkshop.tutorial.checks;

import dev.gitopsworkshop.tutorial.GitObserver;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks on the workshop repository: the participant's clone, and main on the Git server. */
public final class GitChecks {
  private static final Logger LOG = LoggerFactory.getLogger(GitChecks.class);
  private GitChecks() {}

  /** {@code workspaceCloned}: the workspace is a clone of the workshop repository. */
  public record WorkspaceCloned() implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      boolean cloned = Files.isRegularFile(c.workspace().resolve("examples/podinfo-dep.yaml"))
          && Files.isDirectory(c.workspace().resolve(".git"));
      return CheckResult.of(cloned, describe(), "a clone with examples/podinfo-dep.yaml",
              cloned ? "cloned" : "no clone at " + c.workspace())
          .hinting("clone into exactly " + c.workspace() + " (the step shows the command)");
    }

    @Override
    public String describe() {
      return "the workshop repository is cloned";
    }
  }

  /** {@code gitFileExists}: a file is on main on the Git server (committed and pushed). */
  public record GitFileExists(String path) implements Check {
    @Override
    public CheckResult evaluate(TutorialContext c) {
      try {
        boolean there = c.git().fileExists(path);
        return CheckResult.of(there, describe(), "on main", there ? "on main" : "not on main")
            .hinting("'git status' and 'git log origin/main': is it committed, and pushed?");
      } catch (Exception e) {
        return CheckResult.of(false, describe(), "on main", "cannot read Git: " + e.getMessage());
      }
    }

    @Override
    public String describe() {
      return path + " is on main in the workshop repository";
    }
  }

  /**
   * {@code gitCommit}: a commit on main whose message matches {@code pattern} (and, when given,
   * whose author, as {@code Name <email>}, matches {@code author}), pushed since the step began
   * ({@code since: step}, the default) or at any time ({@code since: ever}).
   */
  public record GitCommit(Pattern pattern, Pattern author, boolean sinceStep) implements Check {
    private static final String KEY = "git:head-at-begin";

    public GitCommit(Pattern pattern, boolean sinceStep) {
      this(pattern, null, sinceStep);
    }

    @Override
    public void begin(TutorialContext c) {
      try {
        c.remember(KEY, c.git().head().name());
      } catch (Exception e) {
        LOG.debug("cannot read Git's HEAD when the step begins", e);
        c.remember(KEY, null);
      }
    }

    @Override
    public CheckResult evaluate(TutorialContext c) {
      try {
        List<GitObserver.Commit> commits = c.git().commitsSince(sinceStep ? c.recalled(KEY) : null, 200);
        boolean found = commits.stream().anyMatch(m -> pattern.matcher(m.message()).find() && (author == null || author.matcher(m.author()).find()));
        String observed = commits.isEmpty() ? "no new commits on main"
            : "last: \"" + commits.get(0).message().lines().findFirst().orElse("") + "\"" + (author == null ? "" : " by " + commits.get(0).author())
                + (commits.size() > 1 ? " (and " + (commits.size() - 1) + " more)" : "");
        return CheckResult.of(found, describe(), expected(), observed)
            .hinting(author == null ? "commit with a message that says what changed, then 'git push'"
                : "the commit comes from " + author + ": 'git log --format=\"%an <%ae>: %s\"' after 'git pull' shows who wrote what");
      } catch (Exception e) {
        return CheckResult.of(false, describe(), expected(), "cannot read Git: " + e.getMessage());
      }
    }

    private String expected() {
      return "a commit matching /" + pattern + "/" + (author == null ? "" : " by an author matching /" + author + "/");
    }

    @Override
    public String describe() {
      return expected() + " is on main" + (sinceStep ? " (pushed in this step)" : "");
    }
  }
}
