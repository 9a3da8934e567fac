package dev.gitopsworkshop.cluster.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.support.FakeDockerEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls through a Docker engine: no engine runs here, so a fake engine on a Unix socket answers the
 * Engine API's image inspect and create as Docker does, including a failed pull, which Docker reports
 * as an {@code errorDetail} item of a 200 stream. The client is docker-java, as Testcontainers uses it.
 */
class ImagePullsTest {
  static final String IMAGE = "ghcr.io/stefanprodan/podinfo:6.5.99";
  @TempDir Path tmp;
  final List<String> progress = new ArrayList<>();

  static DockerClient client(Path socket) {
    var config = org.testcontainers.shaded.com.github.dockerjava.core.DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(FakeDockerEngine.host(socket).toString()).build();
    var http = new com.github.dockerjava.zerodep.ZerodepDockerHttpClient.Builder().dockerHost(FakeDockerEngine.host(socket)).build();
    return org.testcontainers.shaded.com.github.dockerjava.core.DockerClientImpl.getInstance(config, http);
  }

  @Test
  void aPullTheEngineReportsFailedIsAnErrorSayingWhy() throws Exception {
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, line -> {
      if (line.contains("/images/create")) {
        return new FakeDockerEngine.Reply("200 OK", "{\"status\":\"Pulling from stefanprodan/podinfo\",\"id\":\"6.5.99\"}\n"
            + "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n");
      }
      return new FakeDockerEngine.Reply("404 Not Found", "{\"message\":\"No such image: " + IMAGE + "\"}");
    })) {
      WorkshopException e = assertThrows(WorkshopException.class, () -> ImagePulls.on(client(socket), progress::add).ensure(IMAGE));
      assertEquals("cannot pull " + IMAGE + ": manifest unknown", e.getMessage());
      assertTrue(progress.stream().noneMatch(p -> p.endsWith(": pulled")), progress.toString());
      assertTrue(engine.requests().stream().anyMatch(r -> r.startsWith("POST ") && r.contains("/images/create?fromImage=")), engine.requests().toString());
    }
  }

  @Test
  void aPullThatSucceedsIsShownPulledOnceTheEngineHasTheImage() throws Exception {
    Path socket = tmp.resolve("docker.sock");
    AtomicBoolean pulled = new AtomicBoolean();
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, line -> {
      if (line.contains("/images/create")) {
        pulled.set(true);
        return new FakeDockerEngine.Reply("200 OK", "{\"status\":\"Pulling from stefanprodan/podinfo\",\"id\":\"6.5.0\"}\n"
            + "{\"status\":\"Status: Downloaded newer image for " + IMAGE + "\"}\n");
      }
      return pulled.get() ? new FakeDockerEngine.Reply("200 OK", "{\"Id\":\"sha256:0123\"}")
          : new FakeDockerEngine.Reply("404 Not Found", "{\"message\":\"No such image\"}");
    })) {
      ImagePulls.on(client(socket), progress::add).ensure(IMAGE);
      assertEquals(List.of("pulling " + IMAGE + " (minutes on a slow network)", IMAGE + ": pulled"), progress);
    }
  }

  @Test
  void anImageTheEngineHasIsNotPulledAgain() throws Exception {
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "200 OK", "{\"Id\":\"sha256:0123\"}")) {
      ImagePulls.on(client(socket), progress::add).ensure(IMAGE);
      assertEquals(List.of(IMAGE + ": already pulled"), progress);
      assertTrue(engine.requests().stream().noneMatch(r -> r.contains("/images/create")), engine.requests().toString());
    }
  }
}
