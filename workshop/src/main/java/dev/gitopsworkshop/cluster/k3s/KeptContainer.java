package dev.gitopsworkshop.cluster.k3s;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The k3s container {@code --keep-cluster} left running, remembered in the data dir. Testcontainers
 * reuses a kept container only when its whole configuration is the same; the Git tunnel's address
 * is part of it and can change between runs, and then Testcontainers starts a new container and
 * leaves the old one running (reused containers are not removed when the process ends). So once
 * the lab's container runs, a different one this data dir kept before is removed, and so is a kept
 * one when the lab no longer keeps its cluster.
 */
final class KeptContainer {
  private static final Logger LOG = LoggerFactory.getLogger(KeptContainer.class);
  static final String FILE = "k3s-container";

  private KeptContainer() {}

  /**
   * @param running the id of the container the lab now uses
   * @param keep whether it is kept for reuse (remembered) or goes when the lab stops
   */
  static void settle(DataDir dir, DockerClient docker, String running, boolean keep, Consumer<String> progress) {
    Path file = dir.resolve(FILE);
    String before = read(file);
    if (before != null && !before.equals(running)) {
      remove(docker, before);
      progress.accept(keep
          ? "removed the k3s container kept before (" + shortId(before) + "): it could not be reused, as the Git tunnel's address changed"
          : "removed the k3s container an earlier --keep-cluster kept (" + shortId(before) + ")");
    }
    try {
      if (keep) {
        DataDir.writeAtomically(file, running + "\n", false);
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("cannot record the kept k3s container in {}: {}", file, e.toString());
    }
  }

  private static String read(Path file) {
    try {
      String id = Files.isRegularFile(file) ? Files.readString(file).strip() : "";
      return id.isEmpty() ? null : id;
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", file, e.toString());
      return null;
    }
  }

  private static void remove(DockerClient docker, String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      LOG.info("the kept k3s container {} is gone already", id);
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
