package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.state.DataDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, shared by every verb that starts or finds a lab. */
public final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the lab keeps its state (Git repositories, credentials, kubeconfig, lab.json). Default: '.workshop' in the current directory.")
  Path dataDir;

  public DataDir dataDir() {
    return DataDir.at(dataDir == null ? Path.of(".workshop") : dataDir);
  }
}
