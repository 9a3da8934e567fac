package dev.gitopsworkshop.state;

import dev.gitopsworkshop.WorkshopException;
import java.util.Optional;

/** Finding a lab already running in a data dir: its lab.json, with its process still alive. */
public final class RunningLab {
  private RunningLab() {}

  public static Optional<LabFile> find(DataDir dir) {
    if (!LabFile.exists(dir)) {
      return Optional.empty();
    }
    LabFile lab = LabFile.read(dir);
    long pid = lab.json().path("pid").asLong(-1);
    boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    return alive && lab.kubeconfig() != null ? Optional.of(lab) : Optional.empty();
  }

  /** The lab running in {@code dir}, or an error saying there is none and how to start one. */
  public static LabFile require(DataDir dir) {
    return require(dir, "start one with '" + PrintedCommands.workshop(dir, "up") + "' (or 'run'), or point --data-dir at the lab's data directory");
  }

  /** Like {@link #require(DataDir)}, with a command's own advice on what to do. */
  public static LabFile require(DataDir dir, String whatToDo) {
    return find(dir).orElseThrow(() -> new WorkshopException("no lab is running in " + dir.root(), whatToDo));
  }
}
