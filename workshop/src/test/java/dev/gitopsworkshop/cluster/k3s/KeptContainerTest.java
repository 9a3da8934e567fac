package dev.gitopsworkshop.cluster.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.support.FakeDockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --keep-cluster}: the container a data dir kept before goes once another one runs. No Docker
 * here: a fake engine on a Unix socket answers the Engine API's container removal and keeps the
 * requests it got.
 */
class KeptContainerTest {
  static final String OLD = "0123456789abcdef0123456789abcdef";
  static final String NEW = "fedcba9876543210fedcba9876543210";
  @TempDir Path tmp;
  final List<String> progress = new ArrayList<>();

  @Test
  void aKeptContainerThatCouldNotBeReusedIsRemovedAndTheNewOneRemembered() throws Exception {
    DataDir dir = DataDir.at(Files.createDirectories(tmp.resolve("lab")));
    Files.writeString(dir.resolve(KeptContainer.FILE), OLD + "\n");
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "204 No Content", "")) {
      KeptContainer.settle(dir, ImagePullsTest.client(socket), NEW, true, progress::add);
      assertEquals(1, engine.requests().size(), engine.requests().toString());
      assertTrue(engine.requests().get(0).matches("DELETE /(v[0-9.]+/)?containers/" + OLD + "\\?.*force=true.*"), engine.requests().toString());
    }
    assertEquals(NEW, Files.readString(dir.resolve(KeptContainer.FILE)).strip());
    assertEquals(List.of("removed the k3s container kept before (0123456789ab): it could not be reused, as the Git tunnel's address changed"),
        progress);
  }

  @Test
  void aReusedContainerIsLeftAlone() throws Exception {
    DataDir dir = DataDir.at(Files.createDirectories(tmp.resolve("lab")));
    Files.writeString(dir.resolve(KeptContainer.FILE), OLD + "\n");
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "204 No Content", "")) {
      KeptContainer.settle(dir, ImagePullsTest.client(socket), OLD, true, progress::add);
      assertEquals(List.of(), engine.requests());
    }
    assertEquals(List.of(), progress);
  }

  @Test
  void aLabThatNoLongerKeepsItsClusterRemovesTheOneKeptBefore() throws Exception {
    DataDir dir = DataDir.at(Files.createDirectories(tmp.resolve("lab")));
    Files.writeString(dir.resolve(KeptContainer.FILE), OLD + "\n");
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "404 Not Found", "{\"message\":\"No such container\"}")) {
      KeptContainer.settle(dir, ImagePullsTest.client(socket), NEW, false, progress::add);
      assertEquals(1, engine.requests().size(), engine.requests().toString());
    }
    assertTrue(Files.notExists(dir.resolve(KeptContainer.FILE)));
    assertEquals(List.of("removed the k3s container an earlier --keep-cluster kept (0123456789ab)"), progress);
  }
}
