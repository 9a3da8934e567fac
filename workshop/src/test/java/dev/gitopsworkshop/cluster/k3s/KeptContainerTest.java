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

  /** Settles with {@code before} remembered and an engine answering every request with {@code status}: the requests it got. */
  List<String> settle(String before, String running, boolean keep, String status) throws Exception {
    DataDir dir = DataDir.at(Files.createDirectories(tmp.resolve("lab")));
    Files.writeString(dir.resolve(KeptContainer.FILE), before + "\n");
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, status, status.startsWith("404") ? "{\"message\":\"No such container\"}" : "")) {
      KeptContainer.settle(dir, ImagePullsTest.client(socket), running, keep, progress::add);
      return engine.requests();
    }
  }

  @Test
  void aKeptContainerThatCouldNotBeReusedIsRemovedAndTheNewOneRemembered() throws Exception {
    List<String> requests = settle(OLD, NEW, true, "204 No Content");
    assertEquals(1, requests.size(), requests.toString());
    assertTrue(requests.get(0).matches("DELETE /(v[0-9.]+/)?containers/" + OLD + "\\?.*force=true.*"), requests.toString());
    assertEquals(NEW, Files.readString(tmp.resolve("lab").resolve(KeptContainer.FILE)).strip());
    assertEquals(List.of("removed the k3s container kept before (0123456789ab): it could not be reused, as the Git tunnel's address changed"),
        progress);
  }

  @Test
  void aReusedContainerIsLeftAlone() throws Exception {
    assertEquals(List.of(), settle(OLD, OLD, true, "204 No Content"));
    assertEquals(List.of(), progress);
  }

  @Test
  void aLabThatNoLongerKeepsItsClusterRemovesTheOneKeptBefore() throws Exception {
    assertEquals(1, settle(OLD, NEW, false, "404 Not Found").size(), "a removal asked, of a container already gone");
    assertTrue(Files.notExists(tmp.resolve("lab").resolve(KeptContainer.FILE)));
    assertEquals(List.of("removed the k3s container an earlier --keep-cluster kept (0123456789ab)"), progress);
  }
}
