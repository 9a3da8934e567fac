package dev.gitopsworkshop.lab;

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
}
