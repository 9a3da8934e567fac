package dev.gitopsworkshop.cluster;

import dev.gitopsworkshop.cluster.DockerEndpoints.Endpoint;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Testcontainers' own answer to "which Docker engine?": its strategies, tried in its order, each
 * tested with a request to the engine. Slower than {@link DockerProbe} and it remembers what it
 * found in {@code ~/.testcontainers.properties}, so it is asked only where the probe cannot ask
 * itself, and by the k3s cluster to name the engine its container will run on. Behind a time
 * limit: a remote engine that does not answer must not hang the lab.
 */
public final class TestcontainersDocker {
  private static final Logger LOG = LoggerFactory.getLogger(TestcontainersDocker.class);

  private TestcontainersDocker() {}

  /** The engine Testcontainers uses, or why it found none within {@code limit}. */
  public static DockerProbe.Answer ask(Duration limit) {
    CompletableFuture<URI> host = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        host.complete(DockerClientFactory.instance().getTransportConfig().getDockerHost());
      } catch (RuntimeException | LinkageError e) {
        host.completeExceptionally(e);
      }
    }, "testcontainers-docker-lookup");
    t.setDaemon(true);
    t.start();
    try {
      URI found = host.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return new DockerProbe.Answer(true, "Testcontainers uses the Docker engine at " + found, new Endpoint(found, "Testcontainers"));
    } catch (TimeoutException e) {
      LOG.warn("Testcontainers found no Docker engine within {} s", limit.toSeconds());
      return new DockerProbe.Answer(false, "Testcontainers found no Docker engine within " + limit.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      LOG.info("Testcontainers finds no Docker engine", cause);
      String first = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().lines().findFirst().orElse("");
      return new DockerProbe.Answer(false, "Testcontainers finds no Docker engine: " + first);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DockerProbe.Answer(false, "interrupted while Testcontainers looked for Docker");
    }
  }
}
