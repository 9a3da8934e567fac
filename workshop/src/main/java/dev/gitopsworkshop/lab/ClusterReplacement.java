package dev.gitopsworkshop.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.WorkshopException;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disaster demo's act, the cluster thrown away and a new one in its place, run on a thread of
 * its own: on k3s it starts a container and takes minutes, longer than a console request should
 * hold a thread. One replacement at a time; asking again while one runs answers that one.
 *
 * <p>Its state is JSON for the control endpoint: {@code state} is {@code none}, {@code running},
 * {@code done} (with {@code mode} and {@code replaced}) or {@code failed} (with {@code error} and,
 * where there is one, {@code hint}).
 */
final class ClusterReplacement implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterReplacement.class);
  private final Lab lab;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "cluster-replacement");
    t.setDaemon(true);
    return t;
  });
  private ObjectNode state = state("none");
  private boolean running;

  ClusterReplacement(Lab lab) {
    this.lab = lab;
  }

  /**
   * Starts a replacement unless one is running.
   *
   * @throws WorkshopException at once when the lab could not get its operator back from Git
   */
  synchronized ObjectNode start(boolean mayDeleteNamespaces) {
    if (!running) {
      lab.requireOperatorInGit();
      running = true;
      state = state("running").put("since", Instant.now().toString());
      worker.execute(() -> replace(mayDeleteNamespaces));
    }
    return state.deepCopy();
  }

  synchronized ObjectNode state() {
    return state.deepCopy();
  }

  private void replace(boolean mayDeleteNamespaces) {
    ObjectNode outcome;
    LOG.info("replacing the cluster (the disaster demo)");
    try {
      String replaced = lab.replaceCluster(mayDeleteNamespaces);
      LOG.info("cluster replaced: {}", replaced);
      outcome = state("done").put("mode", lab.cluster().mode().label()).put("replaced", replaced);
    } catch (WorkshopException e) {
      LOG.warn("the cluster could not be replaced: {}", e.getMessage(), e);
      outcome = state("failed").put("error", e.getMessage());
      if (e.hint() != null) {
        outcome.put("hint", e.hint());
      }
    } catch (RuntimeException e) {
      LOG.error("the cluster could not be replaced", e);
      outcome = state("failed").put("error", "the cluster could not be replaced: " + e)
          .put("hint", "see the lab's log (scripts/workshop status says where it is)");
    }
    synchronized (this) {
      state = outcome;
      running = false;
    }
  }

  private static ObjectNode state(String name) {
    return Mappers.JSON.createObjectNode().put("state", name);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
