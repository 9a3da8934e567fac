package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workshop repository on another Git host ({@code --git-remote}): checked before the lab starts
 * anything (the host answers, the account may read and push, the repository is empty or the
 * workshop's), seeded with the workshop when empty, mirrored into the data dir for what reads it
 * on this machine, and polled with {@code git ls-remote} every {@value #POLL_SECONDS} s, since a
 * host sends this machine no push events: a change of main becomes a push event, which nudges Flux
 * as a push to the lab's own server does.
 */
public final class RemoteGit implements WorkshopGit {
  static final long POLL_SECONDS = 2;
  static final String MAIN = Constants.R_HEADS + WorkshopRepository.BRANCH;
  private static final Logger LOG = LoggerFactory.getLogger(RemoteGit.class);
  private static final List<String> WORKSHOP_FILES = List.of("flux/workshop-source.yaml", "flux/workshop-sync.yaml");

  private final GitRemote remote;
  private final Path mirror;
  private final Account account;
  private final PushEvents pushEvents = new PushEvents();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "git-remote-poll");
    t.setDaemon(true);
    return t;
  });
  private volatile String seen;
  private volatile boolean failing;

  private RemoteGit(GitRemote remote, Path mirror, String head) {
    this.remote = remote;
    this.mirror = mirror;
    this.account = new Account(remote.username(), remote.password(), null);
    this.seen = head;
  }

  /** Where a data dir mirrors its remote's main. */
  public static Path mirrorOf(DataDir dir) {
    return dir.resolve("git-remote").resolve(GitCredentials.WORKSHOP_REPOSITORY);
  }

  /**
   * Checks the remote, seeds it when it is empty, mirrors its main and starts polling it.
   *
   * @param progress hears what was done to the remote (seeded)
   */
  public static RemoteGit connect(GitRemote remote, DataDir dir, ProjectContent content, Consumer<String> progress) {
    RemoteProbe.check(remote);
    Path mirror = mirrorOf(dir);
    String head;
    try {
      Map<String, Ref> refs = lsRemote(remote);
      if (refs.isEmpty()) {
        deleteRecursively(mirror);
        Files.createDirectories(mirror.getParent());
        WorkshopRepository.createIfMissing(mirror, content, remote.url());
        push(remote, mirror);
        progress.accept("the empty repository at " + remote.url() + " now holds the workshop (one commit on main)");
      } else if (!refs.containsKey(MAIN)) {
        throw notTheWorkshop(remote, "it has branches but no main");
      } else {
        fetch(remote, mirror);
        String missing = missingWorkshopFile(mirror);
        if (missing != null) {
          throw notTheWorkshop(remote, "main has no " + missing);
        }
      }
      head = headOf(mirror);
    } catch (IOException | GitAPIException e) {
      throw new WorkshopException("cannot use " + remote.url() + ": " + e.getMessage(), "check the repository on " + remote.host(), e);
    }
    RemoteGit git = new RemoteGit(remote, mirror, head);
    git.poller.scheduleAtFixedRate(git::poll, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    return git;
  }

  private static WorkshopException notTheWorkshop(GitRemote remote, String why) {
    return new WorkshopException(remote.url() + " holds another repository than the workshop's (" + why + ")",
        "use an empty repository (the lab fills it with the workshop), or one a lab filled before");
  }

  /** What the remote's main is now; a change since the last look is published as a push event. */
  void poll() {
    try {
      Ref main = lsRemote(remote).get(MAIN);
      if (failing) {
        LOG.info("{} answers again", remote.url());
        failing = false;
      }
      String now = main == null ? ObjectId.zeroId().name() : main.getObjectId().name();
      if (!now.equals(seen)) {
        synchronized (this) {
          fetch(remote, mirror);
        }
        String before = seen;
        seen = now;
        pushEvents.publish(new PushEvent(remote.url(), MAIN, before, now, remote.host(), Instant.now()));
      }
    } catch (IOException | GitAPIException | RuntimeException e) {
      if (!failing) {
        LOG.warn("cannot poll {} (nudges wait until it answers): {}", remote.url(), e.toString());
        failing = true;
      }
    }
  }

  private UsernamePasswordCredentialsProvider credentials() {
    return credentials(remote);
  }

  private static UsernamePasswordCredentialsProvider credentials(GitRemote remote) {
    return new UsernamePasswordCredentialsProvider(remote.username(), remote.password());
  }

  private static Map<String, Ref> lsRemote(GitRemote remote) throws GitAPIException {
    return Git.lsRemoteRepository().setRemote(remote.url()).setCredentialsProvider(credentials(remote)).setHeads(true)
        .setTimeout((int) RemoteProbe.TIMEOUT.toSeconds()).callAsMap();
  }

  /** Main of the remote into the mirror (made on first use). */
  private static void fetch(GitRemote remote, Path mirror) throws IOException, GitAPIException {
    if (!Files.exists(mirror.resolve("HEAD"))) {
      Files.createDirectories(mirror.getParent());
      Git.init().setBare(true).setInitialBranch(WorkshopRepository.BRANCH).setDirectory(mirror.toFile()).call().close();
    }
    try (Git git = Git.open(mirror.toFile())) {
      git.fetch().setRemote(remote.url()).setCredentialsProvider(credentials(remote))
          .setRefSpecs(new RefSpec("+" + MAIN + ":" + MAIN)).setTimeout(30).call();
    }
  }

  private static void push(GitRemote remote, Path mirror) throws IOException, GitAPIException {
    try (Git git = Git.open(mirror.toFile())) {
      for (PushResult result : git.push().setRemote(remote.url()).setCredentialsProvider(credentials(remote))
          .setRefSpecs(new RefSpec(MAIN + ":" + MAIN)).setTimeout(30).call()) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
            throw new IOException("the push of main was refused (" + update.getStatus()
                + (update.getMessage() == null ? "" : ": " + update.getMessage()) + ")");
          }
        }
      }
    }
  }

  private static String headOf(Path mirror) throws IOException {
    try (Repository repo = open(mirror)) {
      ObjectId id = repo.resolve(MAIN);
      return id == null ? ObjectId.zeroId().name() : id.name();
    }
  }

  private static String missingWorkshopFile(Path mirror) throws IOException {
    try (Repository repo = open(mirror); RevWalk walk = new RevWalk(repo)) {
      ObjectId head = repo.resolve(MAIN);
      var tree = walk.parseCommit(head).getTree();
      for (String file : WORKSHOP_FILES) {
        try (TreeWalk found = TreeWalk.forPath(repo, file, tree)) {
          if (found == null) {
            return file;
          }
        }
      }
      return null;
    }
  }

  private static Repository open(Path bare) throws IOException {
    return new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
  }

  @Override
  public String mode() {
    return "remote";
  }

  @Override
  public String url() {
    return remote.url();
  }

  @Override
  public Account participant() {
    return account;
  }

  @Override
  public Account operator() {
    return account;
  }

  @Override
  public PushEvents pushEvents() {
    return pushEvents;
  }

  @Override
  public Path repository() {
    return mirror;
  }

  @Override
  public String eventsUrl() {
    return null;
  }

  @Override
  public int hostPort() {
    String host = java.net.URI.create(remote.url()).getHost();
    boolean here = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    return here ? java.net.URI.create(remote.url()).getPort() : 0;
  }

  /** Commits the lab's files on the mirror's main and pushes them; a push that lost a race is tried again on the new main. */
  @Override
  public synchronized List<String> refreshOperatorFiles(ProjectContent content, String clusterGitUrl, Path installManifest) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        fetch(remote, mirror);
        List<String> changed = WorkshopRepository.refreshOperatorFiles(mirror, content, clusterGitUrl, installManifest);
        if (!changed.isEmpty()) {
          push(remote, mirror);
        }
        return changed;
      } catch (GitAPIException | IOException e) {
        if (attempt == 3) {
          throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        LOG.info("pushing the lab's files to {} failed (attempt {}): {}", remote.url(), attempt, e.toString());
      }
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** How long a poll may take to see a change at most (for messages and benchmarks). */
  public static Duration pollInterval() {
    return Duration.ofSeconds(POLL_SECONDS);
  }
}
