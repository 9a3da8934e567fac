package dev.gitopsworkshop.support;

import static org.awaitility.Awaitility.await;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A lab started with the packaged tool's {@code up}, as a user starts it, and the real kubectl against it. */
public final class RunningLab implements AutoCloseable {
  private final Cli cli;
  private final Path dataDir;
  private final Path cacheDir;
  private final Background process;
  private final LabFile lab;

  private RunningLab(Cli cli, Path dataDir, Path cacheDir, Background process, LabFile lab) {
    this.cli = cli;
    this.dataDir = dataDir;
    this.cacheDir = cacheDir;
    this.process = process;
    this.lab = lab;
  }

  public static RunningLab up(Path tmp, String... extra) throws Exception {
    return up(tmp, tmp.resolve("lab"), extra);
  }

  /** Starts (or starts again) a lab on the given data dir. */
  public static RunningLab up(Path tmp, Path data, String... extra) throws Exception {
    return start("embedded", tmp, data, Map.of(), extra);
  }

  /** Starts a lab with more environment variables (XDG_CACHE_HOME, for a cache of its own). */
  public static RunningLab up(Path tmp, Path data, Map<String, String> env, String... extra) throws Exception {
    return start("embedded", tmp, data, env, extra);
  }

  /** Starts a lab on the given data dir with {@code --cluster=MODE}. */
  public static RunningLab upOn(String cluster, Path tmp, Path data, String... extra) throws Exception {
    return start(cluster, tmp, data, Map.of(), extra);
  }

  /** Starts a lab whose process has these environment variables (a PATH without kubectl, say). */
  public static RunningLab upWithEnvironment(Path tmp, Map<String, String> env, String... extra) throws Exception {
    return start("embedded", tmp, tmp.resolve("lab"), env, extra);
  }

  private static RunningLab start(String cluster, Path tmp, Path data, Map<String, String> env, String... extra)
      throws Exception {
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    Cli cli = new Cli(home, tmp);
    Files.deleteIfExists(data.resolve("lab.json"));
    List<String> args = new ArrayList<>(List.of("up", "--cluster=" + cluster, "--data-dir=" + data));
    args.addAll(List.of(extra));
    Background p = cli.start(tmp, env, cli.workshop(args.toArray(String[]::new)));
    try {
      await("lab.json written by up")
          .atMost(cluster.equals("embedded") ? Duration.ofSeconds(120) : Duration.ofMinutes(10))
          .until(() -> !p.isAlive() || Files.exists(data.resolve("lab.json")));
      if (!p.isAlive()) {
        throw new AssertionError("up exited: " + p);
      }
      return new RunningLab(cli, data, tmp.resolve("kube-cache"), p, LabFile.read(DataDir.at(data)));
    } catch (Throwable e) {
      p.close(); // an up that never got ready must not outlive the test (it did once: a lab left running)
      throw e;
    }
  }

  public Cli cli() {
    return cli;
  }

  public LabFile lab() {
    return lab;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path kubeconfig() {
    return Path.of(lab.kubeconfig());
  }

  /** The real kubectl with this lab's kubeconfig and a cache of its own. */
  public Cli.Result kubectl(String... args) {
    return cli.run(null, kubectlCommand(args));
  }

  public String[] kubectlCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig(), "--cache-dir=" + cacheDir, "--request-timeout=20s"));
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  public Background startKubectl(String... args) throws Exception {
    return cli.start(null, Map.of(), kubectlCommand(args));
  }

  /** What {@code up} printed so far. */
  public Cli.Result output() {
    return new Cli.Result(process.isAlive() ? -1 : process.process().exitValue(), process.out(), process.err());
  }

  /** Stops the lab as Ctrl-C or SIGTERM would, and returns what it printed to its end. */
  public Cli.Result stop() {
    if (!process.terminate(Duration.ofSeconds(30))) {
      throw new AssertionError("up did not stop within 30 s after SIGTERM\n" + process);
    }
    return output();
  }

  /** Kills the lab without letting it clean up, as a crash or a lost machine would. */
  public void kill() throws Exception {
    process.kill();
  }

  /** Clones the workshop repository as the participant into {@code dir}. */
  public Path cloneWorkshop(Path dir) {
    cli.git(null, "clone", "-q", Urls.withCredentials(lab.gitUrl(), lab.gitUsername(), lab.gitPassword()), dir.toString()).ok();
    return dir;
  }

  /** Tutorial steps 1 to 3 done by hand: the install manifest, the credentials, the sync configuration. */
  public void installOperator(Path workspace) {
    kubectl("apply", "-f", workspace.resolve("flux/install.yaml").toString()).ok();
    kubectl("-n", "flux-system", "create", "secret", "generic", "workshop-git", "--from-literal=username=flux",
        "--from-literal=password=" + lab.get("git", "operatorPassword")).ok();
    kubectl("apply", "-f", workspace.resolve("flux/workshop-source.yaml").toString(),
        "-f", workspace.resolve("flux/workshop-sync.yaml").toString()).ok();
  }

  @Override
  public void close() throws Exception {
    process.close();
  }
}
