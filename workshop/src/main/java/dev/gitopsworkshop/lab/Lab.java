package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.Cluster;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.console.LabConsole;
import dev.gitopsworkshop.git.GitCredentials;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.git.WorkshopRepository;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.logging.LabLog;
import dev.gitopsworkshop.projector.Projector;
import dev.gitopsworkshop.registry.LabRegistry;
import dev.gitopsworkshop.registry.TagStore;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.DataDirLock;
import dev.gitopsworkshop.state.LabFile;
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
      long podStartDelayMillis, boolean nudge, ClusterChoice clusterChoice) {
    public Spec {
      if (clusterChoice == null) {
        clusterChoice = ClusterChoice.DEFAULTS;
      }
    }

    public Spec(DataDir dataDir, ClusterMode cluster, String bind, Integer gitPort, long maxPushBytes, Integer apiPort,
        long podStartDelayMillis, boolean nudge) {
      this(dataDir, cluster, bind, gitPort, maxPushBytes, apiPort, podStartDelayMillis, nudge, ClusterChoice.DEFAULTS);
    }
  }

  private final DataDir dataDir;
  private final DataDirLock owner;
  private final GitServer git;
  private final Cluster cluster;
  private volatile Nudger nudger;
  private final LabConsole console;
  private volatile Projector projector;

  private Lab(DataDir dataDir, DataDirLock owner, GitServer git, Cluster cluster, Nudger nudger, LabConsole console,
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
    ClusterMode mode = Clusters.resolve(spec.cluster(), spec.clusterChoice(), progress);
    ProjectContent content = ProjectContent.locate();
    Path fluxManifest = fluxManifest(mode, spec.clusterChoice(), progress);
    GitServer git =
        GitServer.start(new GitServer.Options(dir, spec.bind(), spec.gitPort(), spec.maxPushBytes(), content, null));
    git.repairs().forEach(progress);
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
      cluster = Clusters.start(mode, spec, git.port(), tags == null ? null : new Clusters.OfflineRegistry(tags, console.url()), progress);
    } catch (RuntimeException e) {
      console.close();
      git.close();
      throw e;
    }
    try {
      refreshOperatorFiles(dir, content, cluster.reachableFromCluster(git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY)),
          fluxManifest, progress);
    } catch (RuntimeException e) {
      cluster.close();
      console.close();
      git.close();
      throw e;
    }
    if (tags != null) {
      LabRegistry.serve(console, tags);
    }
    if (OperatorBootstrap.remembered(dir)) {
      try (Kube kube = Kube.fromKubeconfig(cluster.kubeconfig())) {
        List<String> applied =
            OperatorBootstrap.restore(kube, dir.git().resolve(GitCredentials.WORKSHOP_REPOSITORY), git.operator());
        progress.accept(mode == ClusterMode.KUBECONFIG
            ? "the operator was applied again from the workshop repository's flux/ (" + applied.size() + " objects)"
            : "new cluster: the operator was installed again from the workshop repository's flux/ ("
                + applied.size() + " objects); Flux brings back the rest from Git");
      } catch (IOException | RuntimeException e) {
        LOG.warn("the operator could not be installed again from the workshop repository's flux/", e);
        progress.accept("the operator could not be installed again from Git: " + e.getMessage()
            + " (apply flux/ by hand as in steps 1 to 3)");
      }
    }
    Nudger nudger = Nudger.forKubeconfig(cluster.kubeconfig(), spec.nudge(), ks -> OperatorBootstrap.remember(dir, ks));
    Projector projector;
    try {
      projector = Projector.start(dir, cluster.kubeconfig(), git.pushEvents(), console);
    } catch (RuntimeException e) {
      console.close();
      nudger.close();
      cluster.close();
      git.close();
      throw e;
    }
    Lab lab = new Lab(dir, owner, git, cluster, nudger, console, projector);
    // through the lab, not the nudger itself: a replaced cluster gets a new nudger
    git.pushEvents().subscribe(event -> lab.nudger().pushed(event));
    if (tags != null) {
      tags.onPublish((repository, tag) -> lab.nudger().imagePublished(repository, tag));
    }
    LabControl.register(lab);
    try {
      lab.describe(mode).write(dir);
    } catch (IOException e) {
      lab.close();
      throw new WorkshopException("cannot write " + dir.labJson() + ": " + e.getMessage(), "check the data dir", e);
    }
    LOG.info("lab ready: {} cluster at {}, Git at {}", mode.label(), cluster.apiUrl(), git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY));
    return lab;
  }

  /** Flux's install manifest for this lab: the one given, the release's for a real cluster, else null (the project's own). */
  private static Path fluxManifest(ClusterMode mode, ClusterChoice choice, Consumer<String> progress) {
    if (choice.fluxManifests() != null) {
      FluxManifests.Verified given = FluxManifests.given(choice.fluxManifests());
      progress.accept("Flux's install manifest: " + given.file() + " (" + given.describe() + ")");
      return given.file();
    }
    if (mode == ClusterMode.EMBEDDED) {
      return null;
    }
    return FluxManifests.cachedOrDownload(FluxManifests.RELEASE_URL, progress).file();
  }

  /** The workshop repository's flux/ as this lab runs: its install manifest, the Git URL the cluster uses. */
  private static void refreshOperatorFiles(DataDir dir, ProjectContent content, String clusterGitUrl, Path fluxManifest,
      Consumer<String> progress) {
    try {
      List<String> changed = WorkshopRepository.refreshOperatorFiles(
          dir.git().resolve(GitCredentials.WORKSHOP_REPOSITORY), content, clusterGitUrl, fluxManifest);
      if (!changed.isEmpty()) {
        progress.accept("the workshop repository now has this lab's " + String.join(" and ", changed) + " (a commit by the lab on main)");
      }
    } catch (IOException e) {
      throw new WorkshopException("cannot update the workshop repository's flux/: " + e.getMessage(), "check the data dir", e);
    }
  }

  private LabFile describe(ClusterMode mode) {
    LabFile lab = LabFile.empty();
    lab.put("cluster", "mode", mode.label())
        .put("cluster", "kubeconfig", cluster.kubeconfig().toString())
        .put("cluster", "apiUrl", cluster.apiUrl());
    describeGit(lab, git, cluster.reachableFromCluster(git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY)));
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
    lab.put("git", "url", git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY))
        .put("git", "username", git.participant().username())
        .put("git", "password", git.participant().password())
        .put("git", "operatorUsername", git.operator().username())
        .put("git", "operatorPassword", git.operator().password())
        .put("git", "clusterUrl", clusterUrl)
        .put("git", "eventsUrl", git.eventsUrl());
  }

  public DataDir dataDir() {
    return dataDir;
  }

  public GitServer git() {
    return git;
  }

  public Cluster cluster() {
    return cluster;
  }

  /** The nudges: on or off ({@code --nudge}), switched for a while by {@code demo drift --nudge}. */
  public Nudger nudger() {
    return nudger;
  }

  /**
   * The disaster demo's act: the cluster is thrown away and a new, empty one takes its place.
   *
   * @return what was done, in one line
   */
  public synchronized String replaceCluster(boolean mayDeleteNamespaces) {
    if (!OperatorBootstrap.remembered(dataDir)) {
      throw new WorkshopException("this lab's operator has never synced, so a new cluster could not get it back from Git",
          "do the tutorial up to step 4 first: scripts/workshop run --auto --to 4");
    }
    String apiUrl = cluster.apiUrl();
    String done = cluster.replace(mayDeleteNamespaces);
    if (!cluster.apiUrl().equals(apiUrl)) {
      // a new API address (a new k3s container): the nudges and the projector follow the new cluster
      Nudger old = nudger;
      nudger = Nudger.forKubeconfig(cluster.kubeconfig(), old.enabled(), ks -> OperatorBootstrap.remember(dataDir, ks));
      old.close();
      Projector oldProjector = projector;
      projector = Projector.start(dataDir, cluster.kubeconfig(), git.pushEvents(), console);
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
          "do the tutorial up to step 4 first: scripts/workshop run --auto --to 4");
    }
    try (Kube kube = Kube.fromKubeconfig(cluster.kubeconfig())) {
      return OperatorBootstrap.restore(kube, dataDir.git().resolve(GitCredentials.WORKSHOP_REPOSITORY), git.operator());
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
      projector.close();
      console.close();
      nudger.close();
      cluster.close();
    } finally {
      git.close();
      try {
        Files.deleteIfExists(dataDir.labJson());
      } catch (IOException e) {
        LOG.warn("cannot delete {} (the next start replaces it)", dataDir.labJson(), e);
      }
      owner.close();
    }
  }
}
