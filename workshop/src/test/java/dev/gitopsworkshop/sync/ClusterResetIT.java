package dev.gitopsworkshop.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitopsworkshop.cluster.embedded.EmbeddedCluster;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Urls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's "what if the production cluster fails?", in process: the Git server and the embedded
 * cluster with Flux's runtimes and the nudger, as a lab composes them; the cluster is replaced by a
 * new, empty one; installing the operator and its sync configuration again brings back what Git says.
 */
class ClusterResetIT {
  @TempDir Path tmp;
  GitServer git;
  EmbeddedCluster cluster;
  Nudger nudger;
  Cli cli;
  Path kubeconfig;

  @BeforeEach
  void lab() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("data"));
    git = GitServer.start(new GitServer.Options(dir, null, null, GitServer.DEFAULT_MAX_PUSH_BYTES, ProjectContent.at(Cli.projectRoot()), null));
    cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(dir, "127.0.0.1", null, 50));
    FluxRuntimes.register(cluster);
    kubeconfig = tmp.resolve("kubeconfig");
    cluster.writeKubeconfig(kubeconfig);
    nudger = Nudger.forKubeconfig(kubeconfig, true, ks -> {});
    git.pushEvents().subscribe(nudger::pushed);
    cli = new Cli(Files.createDirectories(tmp.resolve("home")), tmp);
  }

  @AfterEach
  void down() {
    nudger.close();
    cluster.close();
    git.close();
  }

  Cli.Result kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "--cache-dir=" + tmp.resolve("kcache")));
    cmd.addAll(List.of(args));
    return cli.run(null, cmd.toArray(String[]::new));
  }

  void installOperator(Path ws) {
    kubectl("apply", "-f", ws.resolve("flux/install.yaml").toString()).ok();
    kubectl("-n", "flux-system", "create", "secret", "generic", "workshop-git", "--from-literal=username=flux",
        "--from-literal=password=" + git.operator().password()).ok();
    kubectl("apply", "-f", ws.resolve("flux/workshop-source.yaml").toString(), "-f", ws.resolve("flux/workshop-sync.yaml").toString()).ok();
  }

  String podinfo(String jsonpath) {
    return kubectl("get", "deployment", "podinfo", "-o", "jsonpath=" + jsonpath).out().strip();
  }

  @Test
  void aNewEmptyClusterConvergesBackToGit() throws Exception {
    Path ws = tmp.resolve("ws");
    cli.git(null, "clone", "-q", Urls.withCredentials(git.repositoryUrl("workshop.git"), git.participant().username(),
        git.participant().password()), ws.toString()).ok();
    installOperator(ws);
    Files.writeString(ws.resolve("deploy/kubernetes/podinfo-dep.yaml"),
        Files.readString(ws.resolve("examples/podinfo-dep.yaml")).replaceFirst("replicas: \\d+", "replicas: 2"));
    cli.git(ws, "add", "-A").ok();
    cli.git(ws, "commit", "-q", "-m", "podinfo, 2 replicas").ok();
    cli.git(ws, "push", "-q", "origin", "main").ok();
    await("podinfo applied from Git").atMost(Duration.ofSeconds(30)).until(() -> "2".equals(podinfo("{.status.readyReplicas}")));
    String before = podinfo("{.metadata.uid}");

    cluster.reset();
    assertEquals("", podinfo("{.metadata.uid}"), "the new cluster is empty");
    installOperator(ws);

    String head = cli.git(ws, "rev-parse", "HEAD").ok().out().strip();
    await("podinfo back in the new cluster").atMost(Duration.ofSeconds(30))
        .until(() -> "2".equals(podinfo("{.status.readyReplicas}")) && !before.equals(podinfo("{.metadata.uid}")));
    await("the Kustomization applied Git's HEAD").atMost(Duration.ofSeconds(30)).until(() -> ("main@sha1:" + head).equals(
        kubectl("-n", "flux-system", "get", "kustomization", "workshop", "-o", "jsonpath={.status.lastAppliedRevision}").out().strip()));
  }
}
