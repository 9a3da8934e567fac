package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.Threads;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.Cluster;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.console.LabConsole;
import dev.gitopsworkshop.git.GitRemote;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.git.WorkshopGit;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.logging.LabLog;
import dev.gitopsworkshop.projector.Projector;
import dev.gitopsworkshop.registry.LabRegistry;
import dev.gitopsworkshop.registry.TagStore;
import dev.gitopsworkshop.room.RoomReporter;
import dev.gitopsworkshop.room.RoomSeat;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.DataDirLock;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.sync.FluxManifests;
import dev.gitopsworkshop.sync.Nudger;
import dev.gitopsworkshop.sync.OperatorBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running lab: a Kubernetes cluster, the Git server holding the workshop repository, and the
 * nudges that make Flux prompt (on a push, on drift); described in {@code <data-dir>/lab.json} for other commands, terminals and scripts.
 */
public final class Lab implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
  /**
   * What to start.
   *
   * @param gitPort null: the port this data dir used last time, else any
   * @param apiPort null: likewise for the embedded cluster's API server
   */
  public record Spec(
      DataDir dataDir, ClusterMode cluster, String bind, Integer gitPort, long maxPushBytes, Integer apiPort,
      long podStartDelayMillis, boolean nudge, ClusterChoice clusterChoice, GitRemote gitRemote, RoomSeat room) {
    public Spec {
      if (clusterChoice == null) {
        clusterChoice = ClusterChoice.DEFAULTS;
      }
    }

    public Spec(DataDir dataDir, ClusterMode cluster, String bind, Integer gitPort, long maxPushBytes, Integer apiPort,
        long podStartDelayMillis, boolean nudge, ClusterChoice clusterChoice) {
      this(dataDir, cluster, bind, gitPort, maxPushBytes, apiPort, podStartDelayMillis, nudge, clusterChoice, null, null);
    }

    public Spec(DataDir dataDir, ClusterMode cluster, String bind, Integer gitPort, long maxPushBytes, Integer apiPort,
        long podStartDelayMillis, boolean nudge) {
      this(dataDir, cluster, bind, gitPort, maxPushBytes, apiPort, podStartDelayMillis, nudge, ClusterChoice.DEFAULTS, null, null);
    }

    /** The same lab, with the workshop repository on another Git host. */
    public Spec withGitRemote(GitRemote remote) {
      return new Spec(dataDir, cluster, bind, gitPort, maxPushBytes, apiPort, podStartDelayMillis, nudge, clusterChoice, remote, room);
    }

    /** The same lab, joined to a room: the room's repository for this participant is its Git. */
    public Spec withRoom(RoomSeat seat) {
      return new Spec(dataDir, cluster, bind, gitPort, maxPushBytes, apiPort, podStartDelayMillis, nudge, clusterChoice, gitRemote, seat);
    }
  }

  private final DataDir dataDir;
  private final DataDirLock owner;
  private final WorkshopGit git;
  private final Cluster cluster;
  private volatile Nudger nudger;
  private final LabConsole console;
  private volatile Projector projector;
  private final ClusterReplacement replacement = new ClusterReplacement(this);
  private volatile boolean restoredOperator;
  private volatile RoomReporter reporter;

  private Lab(DataDir dataDir, DataDirLock owner, WorkshopGit git, Cluster cluster, Nudger nudger, LabConsole console,
      Projector projector) {
    this.dataDir = dataDir;
    this.owner = owner;
    this.git = git;
    this.cluster = cluster;
    this.nudger = nudger;
    this.console = console;
    this.projector = projector;
  }

  /** Starts a lab; {@code progress} hears one line per stage. */
  public static Lab start(Spec spec, Consumer<String> progress) {
    return start(spec, "up", progress);
  }

  /**
   * Starts a lab, owning its data dir (another command that would write it is refused, naming
   * {@code command}, what the user ran to start this one).
   */
  public static Lab start(Spec spec, String command, Consumer<String> progress) {
    DataDir dir = spec.dataDir();
    DataDirLock owner = DataDirLock.acquire(dir, command);
    try {
      return start(spec, dir, owner, progress);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  private static Lab start(Spec spec, DataDir dir, DataDirLock owner, Consumer<String> progress) {
    LabLog.writeTo(dir.root());
    LOG.info("starting a lab in {} (cluster: {})", dir.root(), spec.cluster());
    if (spec.room() == null && spec.gitRemote() == null) {
      spec = LabGits.remembered(spec, dir, progress);
    }
    if (spec.room() != null) {
      String repository = RoomReporter.join(spec.room());
      progress.accept("joined the room at " + spec.room().url() + " as " + spec.room().name() + "; its Git is " + repository);
      spec = spec.withGitRemote(GitRemote.of(repository, spec.room().name(), spec.room().password()));
    }
    ClusterMode mode = Clusters.resolve(spec.cluster(), spec.clusterChoice(), progress); // asks, starts nothing
    ProjectContent content = ProjectContent.locate();
    // what the cluster will need and takes long to make starts now, on its own thread; the cluster
    // itself starts only after Git did, so that a Git that will not do leaves nothing started
    Clusters.prepare(mode, dir);
    WorkshopGit git = LabGits.start(spec, dir, content, progress);
    Path fluxManifest;
    try {
      fluxManifest = fluxManifest(mode, spec.clusterChoice(), progress);
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
    LabConsole console;
    try {
      console = LabConsole.start(dir);
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
    TagStore tags;
    Cluster cluster;
    try {
      // only the embedded cluster has the lab's registry: elsewhere real Flux asks the real registries
      tags = mode == ClusterMode.EMBEDDED ? TagStore.open(dir.resolve("registry")) : null;
      if (tags != null && !tags.skipped().isEmpty()) {
        List<String> skipped = tags.skipped();
        progress.accept("the lab's registry skipped what is not a tag in " + dir.resolve("registry") + ": "
            + String.join(", ", skipped.subList(0, Math.min(3, skipped.size())))
            + (skipped.size() > 3 ? " and " + (skipped.size() - 3) + " more" : "") + " (fix or remove those lines)");
      }
      cluster = Clusters.start(mode, spec, git.hostPort(), tags == null ? null : new Clusters.OfflineRegistry(tags, console.url()), progress);
    } catch (RuntimeException e) {
      console.close();
      git.close();
      throw e;
    }
    try {
      refreshOperatorFiles(git, content, cluster.reachableFromCluster(git.url()), fluxManifest, progress);
    } catch (RuntimeException e) {
      cluster.close();
      console.close();
      git.close();
      throw e;
    }
    if (tags != null) {
      LabRegistry.serve(console, tags);
    }
    boolean restored = false;
    if (OperatorBootstrap.remembered(dir)) {
      try (Kube kube = Kube.fromKubeconfig(cluster.kubeconfig())) {
        List<String> applied =
            OperatorBootstrap.restore(kube, git.repository(), git.operator());
        progress.accept(mode == ClusterMode.KUBECONFIG
            ? "the operator was applied again from the workshop repository's flux/ (" + applied.size() + " objects)"
            : "new cluster: the operator was installed again from the workshop repository's flux/ ("
                + applied.size() + " objects); Flux brings back the rest from Git");
        restored = true;
      } catch (IOException | RuntimeException e) {
        LOG.warn("the operator could not be installed again from the workshop repository's flux/", e);
        progress.accept("the operator could not be installed again from Git: " + e.getMessage()
            + " (apply flux/ by hand as in steps 1 to 3)");
      }
    }
    Nudger nudger = Nudger.forKubeconfig(cluster.kubeconfig(), spec.nudge(), ks -> OperatorBootstrap.remember(dir, ks));
    Projector projector;
    try {
      projector = Projector.start(dir, cluster.kubeconfig(), git.pushEvents(), git.repository(), console);
    } catch (RuntimeException e) {
      console.close();
      nudger.close();
      cluster.close();
      git.close();
      throw e;
    }
    Lab lab = new Lab(dir, owner, git, cluster, nudger, console, projector);
    lab.restoredOperator = restored;
    // through the lab, not the nudger itself: a replaced cluster gets a new nudger
    git.pushEvents().subscribe(event -> lab.nudger().pushed(event));
    if (tags != null) {
      tags.onPublish((repository, tag) -> lab.nudger().imagePublished(repository, tag));
    }
    LabControl.register(lab);
    try {
      lab.describe(mode, spec.room()).write(dir);
    } catch (IOException e) {
      lab.close();
      throw new WorkshopException("cannot write " + dir.labJson() + ": " + e.getMessage(), "check the data dir", e);
    }
    if (spec.room() != null) {
      lab.reporter = RoomReporter.start(dir, spec.room());
      lab.reporter.joined();
    }
    LOG.info("lab ready: {} cluster at {}, Git at {}", mode.label(), cluster.apiUrl(), git.url());
    return lab;
  }

  /**
   * Flux's install manifest for this lab: the one given, the release's for a real cluster; for the
   * embedded cluster the release's when the user's cache holds it (prefetch), else null (the
   * project's own).
   */
  private static Path fluxManifest(ClusterMode mode, ClusterChoice choice, Consumer<String> progress) {
    if (choice.fluxManifests() != null) {
      FluxManifests.Verified given = FluxManifests.given(choice.fluxManifests());
      progress.accept("Flux's install manifest: " + given.file() + " (" + given.describe() + ")");
      return given.file();
    }
    if (mode == ClusterMode.EMBEDDED) {
      return FluxManifests.cachedOnly(FluxManifests.cachedFile(), progress).map(v -> {
        progress.accept("Flux's install manifest: the release's, from " + v.file() + " (cached by prefetch)");
        return v.file();
      }).orElse(null);
    }
    return FluxManifests.cachedOrDownload(FluxManifests.RELEASE_URL, progress).file();
  }

  /** The workshop repository's flux/ as this lab runs: its install manifest, the Git URL the cluster uses. */
  private static void refreshOperatorFiles(WorkshopGit git, ProjectContent content, String clusterGitUrl, Path fluxManifest,
      Consumer<String> progress) {
    try {
      List<String> changed = git.refreshOperatorFiles(content, clusterGitUrl, fluxManifest);
      if (!changed.isEmpty()) {
        progress.accept("the workshop repository now has this lab's " + String.join(" and ", changed) + " (a commit by the lab on main)");
      }
    } catch (IOException e) {
      throw new WorkshopException("cannot update the workshop repository's flux/: " + e.getMessage(),
          git.mode().equals("remote") ? "check that the lab may push to " + git.url() : "check the data dir", e);
    }
  }

  private LabFile describe(ClusterMode mode, RoomSeat room) {
    LabFile lab = LabFile.empty();
    if (room != null) {
      lab.put("room", "url", room.url()).put("room", "name", room.name()).put("room", "board", room.url() + "room");
    }
    lab.put("cluster", "mode", mode.label())
        .put("cluster", "kubeconfig", cluster.kubeconfig().toString())
        .put("cluster", "apiUrl", cluster.apiUrl());
    describeGit(lab, git, cluster.reachableFromCluster(git.url()));
    lab.put("console", "url", console.url()).put("console", "token", console.token())
        .put("console", "projector", Projector.url(console.url()));
    if (cluster.mode() == ClusterMode.EMBEDDED) {
      lab.put("registry", "url", console.url()).put("registry", "mirrors", "ghcr.io");
    }
    lab.json().put("pid", ProcessHandle.current().pid());
    return lab;
  }

  /** The git section of lab.json: the participant's and the operator's credentials and URLs. */
  public static void describeGit(LabFile lab, GitServer git, String clusterUrl) {
    describeGit(lab, WorkshopGit.served(git), clusterUrl);
  }

  /** The git section of lab.json; {@code git.mode} says which Git: {@code lab} or {@code remote}. */
  public static void describeGit(LabFile lab, WorkshopGit git, String clusterUrl) {
    lab.put("git", "mode", git.mode())
        .put("git", "url", git.url())
        .put("git", "username", git.participant().username())
        .put("git", "password", git.participant().password())
        .put("git", "operatorUsername", git.operator().username())
        .put("git", "operatorPassword", git.operator().password())
        .put("git", "clusterUrl", clusterUrl);
    if (git.eventsUrl() != null) {
      lab.put("git", "eventsUrl", git.eventsUrl());
    }
  }

  public DataDir dataDir() {
    return dataDir;
  }

  /** Whether this lab installed the operator again from Git when it started: Flux is bringing back what Git holds. */
  public boolean restoredOperator() {
    return restoredOperator;
  }

  public WorkshopGit git() {
    return git;
  }

  public Cluster cluster() {
    return cluster;
  }

  /** The nudges: on or off ({@code --nudge}), switched for a while by {@code demo drift --nudge}. */
  public Nudger nudger() {
    return nudger;
  }

  /** Refuses a new cluster that could not get its operator back from Git. */
  void requireOperatorInGit() {
    if (!OperatorBootstrap.remembered(dataDir)) {
      throw new WorkshopException("this lab's operator has never synced, so a new cluster could not get it back from Git",
          "do the tutorial up to step 4 first: " + PrintedCommands.workshop(dataDir, "run --auto --to 4"));
    }
  }

  /** The disaster demo's act, off the console's request threads. */
  ClusterReplacement replacement() {
    return replacement;
  }

  /**
   * The disaster demo's act: the cluster is thrown away and a new, empty one takes its place.
   *
   * @return what was done, in one line
   */
  public synchronized String replaceCluster(boolean mayDeleteNamespaces) {
    requireOperatorInGit();
    String apiUrl = cluster.apiUrl();
    String done = cluster.replace(mayDeleteNamespaces);
    if (!cluster.apiUrl().equals(apiUrl)) {
      // a new API address (a new k3s container): the nudges and the projector follow the new cluster
      Nudger old = nudger;
      nudger = Nudger.forKubeconfig(cluster.kubeconfig(), old.enabled(), ks -> OperatorBootstrap.remember(dataDir, ks));
      old.close();
      Projector oldProjector = projector;
      projector = Projector.start(dataDir, cluster.kubeconfig(), git.pushEvents(), git.repository(), console);
      oldProjector.close(); // its pages' browsers reconnect, to the new one
    }
    return done;
  }

  /**
   * Installs the operator again from the workshop repository's own {@code flux/}, as a lab started
   * on a new cluster does when its data dir remembers the operator.
   *
   * @return what was applied, one line each
   */
  public synchronized List<String> restoreOperator() {
    if (!OperatorBootstrap.remembered(dataDir)) {
      throw new WorkshopException("this lab's operator has never synced, so there is nothing to restore from Git",
          "do the tutorial up to step 4 first: " + PrintedCommands.workshop(dataDir, "run --auto --to 4"));
    }
    try (Kube kube = Kube.fromKubeconfig(cluster.kubeconfig())) {
      return OperatorBootstrap.restore(kube, git.repository(), git.operator());
    } catch (IOException e) {
      throw new WorkshopException("the operator could not be installed again from Git: " + e.getMessage(),
          "apply flux/ by hand as in steps 1 to 3", e);
    }
  }

  /** The lab's web door on loopback: pages for a room, control endpoints for the lab's commands. */
  public LabConsole console() {
    return console;
  }

  /** Stops the cluster and the Git server; the lab no longer describes itself. */
  @Override
  public void close() {
    LOG.info("stopping the lab in {}", dataDir.root());
    try {
      replacement.close();
      if (reporter != null) {
        reporter.close();
      }
      projector.close();
      nudger.close();
    } finally {
      try {
        // the three servers stop together: each gives its open connections a moment to finish
        closeTogether(List.of(console::close, cluster::close, git::close));
      } finally {
        try {
          Files.deleteIfExists(dataDir.labJson());
        } catch (IOException e) {
          LOG.warn("cannot delete {} (the next start replaces it)", dataDir.labJson(), e);
        }
        owner.close();
      }
    }
  }

  /** Runs every close at once and waits for all of them; then throws the first failure, if any. */
  static void closeTogether(List<Runnable> closes) {
    List<Thread> threads = new java.util.ArrayList<>();
    RuntimeException[] failure = new RuntimeException[1];
    for (Runnable close : closes) {
      Thread t = new Thread(() -> {
        try {
          close.run();
        } catch (RuntimeException e) {
          synchronized (failure) {
            if (failure[0] == null) {
              failure[0] = e;
            } else {
              failure[0].addSuppressed(e);
            }
          }
        }
      }, "lab-stop");
      t.start();
      threads.add(t);
    }
    threads.forEach(Threads::joinUninterruptibly); // a lab stops whole: an interrupt waits for the closes
    if (failure[0] != null) {
      throw failure[0];
    }
  }
}
