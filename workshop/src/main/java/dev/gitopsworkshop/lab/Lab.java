package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.Cluster;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.cluster.KubeClient;
import dev.gitopsworkshop.cluster.embedded.EmbeddedCluster;
import dev.gitopsworkshop.cluster.embedded.KnownImages;
import dev.gitopsworkshop.git.GitCredentials;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.lab.console.LabConsole;
import dev.gitopsworkshop.sync.FluxRuntimes;
import dev.gitopsworkshop.sync.Nudger;
import dev.gitopsworkshop.sync.OperatorBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A running lab: a Kubernetes cluster, the Git server holding the workshop repository, and the
 * nudges that make Flux prompt (on a push, on drift); described in {@code <data-dir>/lab.json} for other commands, terminals and scripts.
 */
public final class Lab implements AutoCloseable {
  /**
   * What to start.
   *
   * @param gitPort null: the port this data dir used last time, else any
   * @param apiPort null: likewise for the embedded cluster's API server
   */
  public record Spec(
      DataDir dataDir, ClusterMode cluster, String bind, Integer gitPort, long maxPushBytes, Integer apiPort,
      long podStartDelayMillis, boolean nudge) {}

  private final DataDir dataDir;
  private final GitServer git;
  private final Cluster cluster;
  private final Nudger nudger;
  private final LabConsole console;

  private Lab(DataDir dataDir, GitServer git, Cluster cluster, Nudger nudger, LabConsole console) {
    this.dataDir = dataDir;
    this.git = git;
    this.cluster = cluster;
    this.nudger = nudger;
    this.console = console;
  }

  /** Starts a lab; {@code progress} hears one line per stage. */
  public static Lab start(Spec spec, Consumer<String> progress) {
    DataDir dir = spec.dataDir().ensureWritable();
    refuseIfRunning(dir);
    ClusterMode mode = resolve(spec.cluster(), progress);
    ProjectContent content = ProjectContent.locate();
    GitServer git =
        GitServer.start(new GitServer.Options(dir, spec.bind(), spec.gitPort(), spec.maxPushBytes(), content, null));
    EmbeddedCluster cluster;
    try {
      cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(dir, "127.0.0.1", spec.apiPort(), spec.podStartDelayMillis()));
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
    FluxRuntimes.register(cluster);
    cluster.images(KnownImages.load());
    KubeClient kube = KubeClient.fromKubeconfig(cluster.kubeconfig());
    if (OperatorBootstrap.remembered(dir)) {
      try {
        List<String> applied =
            OperatorBootstrap.restore(kube, dir.git().resolve(GitCredentials.WORKSHOP_REPOSITORY), git.operator());
        progress.accept("new cluster: the operator was installed again from the workshop repository's flux/ ("
            + applied.size() + " objects); Flux brings back the rest from Git");
      } catch (IOException | RuntimeException e) {
        progress.accept("the operator could not be installed again from Git: " + e.getMessage()
            + " (apply flux/ by hand as in steps 1 to 3)");
      }
    }
    Nudger nudger = Nudger.forKubeconfig(cluster.kubeconfig(), spec.nudge(), ks -> OperatorBootstrap.remember(dir, ks));
    git.pushEvents().subscribe(nudger::pushed);
    LabConsole console;
    try {
      console = LabConsole.start(dir);
    } catch (RuntimeException e) {
      nudger.close();
      cluster.close();
      git.close();
      throw e;
    }
    Lab lab = new Lab(dir, git, cluster, nudger, console);
    LabControl.register(lab);
    try {
      lab.describe(mode).write(dir);
    } catch (IOException e) {
      lab.close();
      throw new WorkshopException("cannot write " + dir.labJson() + ": " + e.getMessage(), "check the data dir", e);
    }
    return lab;
  }

  private static ClusterMode resolve(ClusterMode requested, Consumer<String> progress) {
    switch (requested) {
      case EMBEDDED -> {
        return ClusterMode.EMBEDDED;
      }
      case AUTO -> {
        DockerProbe.Answer docker = DockerProbe.ask();
        progress.accept(
            docker.available()
                ? "Docker answers, but this version has no k3s mode yet: using the embedded cluster"
                : "using the embedded cluster: " + docker.reason());
        return ClusterMode.EMBEDDED;
      }
      default ->
          throw WorkshopException.usage(
              "--cluster " + requested.label() + " is not available in this version",
              "use --cluster embedded (the default when Docker does not answer)");
    }
  }

  /** A lab already running in this data dir would fight over its ports and files: refuse, saying which. */
  private static void refuseIfRunning(DataDir dir) {
    if (!LabFile.exists(dir)) {
      return;
    }
    try {
      LabFile existing = LabFile.read(dir);
      long pid = existing.json().path("pid").asLong(-1);
      Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
      if (process.isPresent() && process.get().isAlive() && pid != ProcessHandle.current().pid()) {
        throw new WorkshopException(
            "a lab is already running in " + dir.root() + " (process " + pid + ")",
            "use it (see 'scripts/workshop status'), stop it with Ctrl-C in its terminal, or choose another --data-dir");
      }
    } catch (WorkshopException e) {
      if (e.getMessage().startsWith("a lab is already running")) {
        throw e;
      }
      // an unreadable lab.json from a crashed lab: it is replaced below
    }
  }

  private LabFile describe(ClusterMode mode) {
    LabFile lab = LabFile.empty();
    lab.put("cluster", "mode", mode.label())
        .put("cluster", "kubeconfig", cluster.kubeconfig().toString())
        .put("cluster", "apiUrl", cluster.apiUrl());
    describeGit(lab, git, cluster.reachableFromCluster(git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY)));
    lab.put("console", "url", console.url()).put("console", "token", console.token());
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
    return cluster.replace(mayDeleteNamespaces);
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
    try {
      return OperatorBootstrap.restore(KubeClient.fromKubeconfig(cluster.kubeconfig()), dataDir.git().resolve(GitCredentials.WORKSHOP_REPOSITORY), git.operator());
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
    try {
      console.close();
      nudger.close();
      cluster.close();
    } finally {
      git.close();
      try {
        Files.deleteIfExists(dataDir.labJson());
      } catch (IOException e) {
        // the next start replaces it
      }
    }
  }
}
