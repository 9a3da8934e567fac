package dev.gitopsworkshop.cluster.embedded;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An embedded cluster started in this JVM (quicker than a packaged lab) and the real kubectl
 * against it, each test in a namespace of its own.
 */
final class LocalCluster implements AutoCloseable {
  final EmbeddedCluster cluster;
  final Cli cli;
  final Path dir;
  final Path kubeconfig;

  LocalCluster(Path dir) throws IOException {
    this.dir = dir;
    cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(DataDir.at(dir.resolve("data")), "127.0.0.1", 0, null, 150));
    kubeconfig = dir.resolve("kubeconfig");
    cluster.writeKubeconfig(kubeconfig);
    Files.createDirectories(dir.resolve("home"));
    cli = new Cli(dir.resolve("home"), dir);
  }

  String[] kubectlCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "--cache-dir=" + dir.resolve("cache"),
        "--request-timeout=20s"));
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  Cli.Result kubectl(String... args) {
    return cli.run(null, kubectlCommand(args));
  }

  /** kubectl with a given binary (another version of the client). */
  Cli.Result kubectlBinary(String binary, String... args) {
    String[] cmd = kubectlCommand(args);
    cmd[0] = binary;
    return cli.run(null, cmd);
  }

  Background startKubectl(String... args) throws IOException {
    return cli.start(null, Map.of(), kubectlCommand(args));
  }

  Background startKubectlBinary(String binary, String... args) throws IOException {
    String[] cmd = kubectlCommand(args);
    cmd[0] = binary;
    return cli.start(null, Map.of(), cmd);
  }

  String namespace() {
    String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    kubectl("create", "namespace", ns).ok();
    return ns;
  }

  Cli.Result apply(String ns, String yaml) throws IOException {
    Path file = dir.resolve("m-" + UUID.randomUUID() + ".yaml");
    Files.writeString(file, yaml);
    return kubectl("-n", ns, "apply", "-f", file.toString()).ok();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
