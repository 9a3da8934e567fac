package dev.gitopsworkshop.state;

import dev.gitopsworkshop.WorkshopException;
import java.util.Optional;

/**
 * Finding a lab already running in a data dir: its lab.json, while a process owns the data dir
 * ({@link DataDirLock}). A lab.json nobody owns is what a crashed lab left behind.
 */
public final class RunningLab {
  private RunningLab() {}

  public static Optional<LabFile> find(DataDir dir) {
    if (!LabFile.exists(dir) || DataDirLock.owner(dir).isEmpty()) {
      return Optional.empty();
    }
    LabFile lab = LabFile.read(dir);
    return lab.kubeconfig() != null ? Optional.of(lab) : Optional.empty();
  }

  /** The lab running in {@code dir}, or an error saying there is none and how to start one. */
  public static LabFile require(DataDir dir) {
    return require(dir, "start one with 'scripts/workshop up' (or 'run'), or point --data-dir at the lab's data directory");
  }

  /** Like {@link #require(DataDir)}, with a command's own advice on what to do. */
  public static LabFile require(DataDir dir, String whatToDo) {
    return find(dir).orElseThrow(() -> {
      Optional<DataDirLock.Owner> owner = DataDirLock.owner(dir);
      if (owner.isPresent() && "git serve".equals(owner.get().command())) {
        return new WorkshopException("only the Git server runs in " + dir.root() + " (" + owner.get().describe() + "): there is no cluster",
            "stop it (Ctrl-C in its terminal) and start a whole lab with 'scripts/workshop up', or choose another --data-dir");
      }
      if (owner.isPresent()) {
        return new WorkshopException("the lab in " + dir.root() + " is still starting (" + owner.get().describe() + ")",
            "wait until it says 'lab ready', then try again");
      }
      return new WorkshopException("no lab is running in " + dir.root(), whatToDo);
    });
  }
}
