package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bare repository checked before the Git server serves it, so that a lab never says "ready" over
 * a repository it would serve empty, or where every push would be refused. What is safe to repair
 * is repaired, and said in one line each:
 *
 * <ul>
 *   <li>files a crashed push left ({@code objects/incoming_*} packs, {@code objects/noz*.tmp})
 *       and lock files older than this process (this process owns the data dir, so nobody else
 *       is writing them);
 *   <li>{@code HEAD} that is not {@code ref: refs/heads/main} (the workshop repository's HEAD is
 *       always main);
 *   <li>{@code refs/heads/main} that names no commit: set back to the newest commit its reflog
 *       names that the repository holds (every repository keeps a reflog from now on).
 * </ul>
 *
 * Anything else (main beyond repair, a lock taken while this process runs, a repository Git cannot
 * open) is one clear error naming the file and what to do.
 */
final class RepositoryCheck {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryCheck.class);
  private static final String MAIN = "refs/heads/" + WorkshopRepository.BRANCH;
  private static final String HEAD = "ref: " + MAIN;
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

  private final Path dir;
  private final String name;
  private final Instant processStart;
  private final List<String> repaired = new ArrayList<>();

  private RepositoryCheck(Path dir, Instant processStart) {
    this.dir = dir;
    this.name = dir.getFileName().toString();
    this.processStart = processStart;
  }

  /** When this process started: files older than that were left by an earlier one. */
  static Instant processStart() {
    return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  /**
   * Checks the bare repository in {@code dir} (which exists) and repairs what is safe to repair.
   *
   * @return what was repaired, one line each (empty: it was sound)
   * @throws WorkshopException when it cannot be served and cannot be repaired safely
   */
  static List<String> run(Path dir, Instant processStart) {
    RepositoryCheck check = new RepositoryCheck(dir, processStart);
    try {
      check.requireRepository();
      check.removeLeftovers();
      check.removeStaleLocks();
      check.keepReflogs();
      check.repairMain();
      check.repairHead();
    } catch (IOException e) {
      throw check.damaged("cannot be checked (" + e.getMessage() + ")", null, e);
    }
    check.repaired.forEach(line -> LOG.info("{}", line));
    return List.copyOf(check.repaired);
  }

  private void requireRepository() {
    if (!Files.isDirectory(dir.resolve("objects")) || !Files.isDirectory(dir.resolve("refs"))) {
      throw damaged("is not a Git repository (it has no objects/ or refs/ folder)", null, null);
    }
  }

  /** A push that died before it finished leaves its pack (and the loose objects' temporary files) behind. */
  private void removeLeftovers() throws IOException {
    int removed = 0;
    for (Path folder : List.of(dir.resolve("objects"), dir.resolve("objects/pack"))) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.toList()) {
          String fileName = file.getFileName().toString();
          boolean leftover = fileName.startsWith("incoming_") || (fileName.startsWith("noz") && fileName.endsWith(".tmp"));
          if (leftover && Files.isRegularFile(file) && olderThanProcess(file)) {
            Files.deleteIfExists(file);
            removed++;
          }
        }
      }
    }
    if (removed > 0) {
      repaired.add(name + ": removed " + removed + " file" + (removed == 1 ? "" : "s") + " an interrupted push left in objects/");
    }
  }

  /** Lock files of refs, HEAD, packed-refs and config: stale ones go, a live one is an error. */
  private void removeStaleLocks() throws IOException {
    List<Path> locks = new ArrayList<>();
    try (Stream<Path> top = Files.list(dir)) {
      top.filter(p -> p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p)).forEach(locks::add);
    }
    try (Stream<Path> refs = Files.walk(dir.resolve("refs"))) {
      refs.filter(p -> p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p)).forEach(locks::add);
    }
    for (Path lock : locks) {
      String relative = dir.relativize(lock).toString().replace('\\', '/');
      Instant made = Files.getLastModifiedTime(lock).toInstant();
      if (!made.isBefore(processStart)) {
        throw damaged("is being written by another program: " + relative + " was made at " + local(made) + ", after this lab started",
            "stop what writes it (a git command run in " + dir + "), or remove " + lock + " if nothing does, then start again", null);
      }
      Files.deleteIfExists(lock);
      repaired.add(name + ": removed " + relative + ", a lock left by a process that ended at " + local(made));
    }
  }

  /** From now on main's every move is in the reflog, so that a damaged main can be set back. */
  private void keepReflogs() throws IOException {
    try (Repository repo = open()) {
      StoredConfig config = repo.getConfig();
      if (!config.getBoolean("core", null, "logAllRefUpdates", false)) {
        config.setBoolean("core", null, "logAllRefUpdates", true);
        config.save();
      }
    }
  }

  private void repairMain() throws IOException {
    Optional<String> value = mainValue();
    try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
      String problem;
      if (value.isEmpty()) {
        problem = "has no branch main";
      } else if (!SHA1.matcher(value.get()).matches()) {
        problem = "has a damaged branch main (refs/heads/main holds '" + printable(value.get()) + "', not a commit id)";
      } else {
        Optional<String> missing = unreadable(walk, ObjectId.fromString(value.get()));
        if (missing.isEmpty()) {
          return;
        }
        problem = "has a branch main whose commit " + value.get().substring(0, 12) + " " + missing.get();
      }
      for (String candidate : reflogNewestFirst()) {
        if (unreadable(walk, ObjectId.fromString(candidate)).isEmpty()) {
          RevCommit commit = walk.parseCommit(ObjectId.fromString(candidate));
          writeRef(MAIN, candidate);
          repaired.add(name + " " + problem + ": main is set back to " + candidate.substring(0, 12) + " ('"
              + printable(commit.getShortMessage()) + "'), the last commit its reflog names");
          return;
        }
      }
      throw damaged(problem + ", and no reflog names a commit to set it back to",
          "find the last commit with 'git --git-dir=" + dir + " fsck --lost-found' and set it with 'git --git-dir=" + dir
              + " update-ref refs/heads/main COMMIT', or move " + dir + " away to start from a new repository", null);
    }
  }

  private void repairHead() throws IOException {
    Path head = dir.resolve("HEAD");
    String value;
    try {
      value = Files.readString(head, StandardCharsets.ISO_8859_1).strip();
    } catch (NoSuchFileException e) {
      value = null;
    }
    if (HEAD.equals(value)) {
      return;
    }
    DataDir.writeAtomically(head, HEAD + "\n", false);
    repaired.add(name + ": HEAD " + (value == null ? "was missing" : "held '" + printable(value) + "'") + "; it names main again");
  }

  /** main as the repository stores it: the loose ref, else the packed one; empty when neither has it. */
  private Optional<String> mainValue() throws IOException {
    Path loose = dir.resolve(MAIN);
    if (Files.isRegularFile(loose)) {
      return Optional.of(Files.readString(loose, StandardCharsets.ISO_8859_1).strip());
    }
    Path packed = dir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.ISO_8859_1)) {
        if (line.endsWith(" " + MAIN)) {
          return Optional.of(line.substring(0, line.indexOf(' ')));
        }
      }
    }
    return Optional.empty();
  }

  /** Why a commit cannot be served (missing, not a commit, its tree missing), or empty when it can. */
  private static Optional<String> unreadable(RevWalk walk, ObjectId id) throws IOException {
    try {
      RevCommit commit = walk.parseCommit(id);
      if (!walk.getObjectReader().has(commit.getTree())) {
        return Optional.of("has lost its files (tree " + commit.getTree().name().substring(0, 12) + " is missing)");
      }
      return Optional.empty();
    } catch (MissingObjectException e) {
      return Optional.of("is missing from the repository");
    } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
      return Optional.of("is not a commit");
    } catch (org.eclipse.jgit.errors.CorruptObjectException e) {
      return Optional.of("is damaged");
    }
  }

  /** The new values main's reflog recorded, the latest first. */
  private List<String> reflogNewestFirst() throws IOException {
    Path log = dir.resolve("logs").resolve(MAIN);
    if (!Files.isRegularFile(log)) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
      String[] parts = line.split(" ", 3);
      if (parts.length >= 2 && SHA1.matcher(parts[1]).matches() && !parts[1].equals(ObjectId.zeroId().name())) {
        values.add(0, parts[1]);
      }
    }
    return values;
  }

  private void writeRef(String ref, String sha) throws IOException {
    DataDir.writeAtomically(dir.resolve(ref), sha + "\n", false);
  }

  private Repository open() throws IOException {
    try {
      return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private boolean olderThanProcess(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toInstant().isBefore(processStart);
  }

  private WorkshopException damaged(String problem, String hint, Throwable cause) {
    return new WorkshopException("the repository " + dir + " " + problem,
        hint != null ? hint : "repair it with git, or move it away to start from a new repository (the lab seeds one)", cause);
  }

  private static String local(Instant at) {
    return LocalDateTime.ofInstant(at, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
  }

  /** At most 40 printable characters of what a damaged file holds. */
  private static String printable(String text) {
    String shown = text.replaceAll("[^\\x20-\\x7e]", "?");
    return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
  }
}
