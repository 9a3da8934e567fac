package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.state.DataDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir} of the room's commands: the room lives apart from the instructor's own lab. */
public final class RoomDataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the room keeps its state (participants' repositories and passwords, their events, lab.json). "
          + "Default: '.workshop-room' in the current directory.")
  Path dataDir;

  public DataDir dataDir() {
    return DataDir.at(dataDir == null ? Path.of(".workshop-room") : dataDir);
  }
}
