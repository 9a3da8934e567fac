package dev.gitopsworkshop.cluster.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What k3s's containers see of the host (no Docker needed to check the rewriting). */
class K3sClusterTest {
  @Test
  void aLoopbackUrlIsReachedThroughTheTestcontainersHostAlias() {
    assertEquals("http://host.testcontainers.internal:41234/workshop.git", K3sCluster.fromInside("http://127.0.0.1:41234/workshop.git"));
    assertEquals("http://host.testcontainers.internal:41234/workshop.git", K3sCluster.fromInside("http://localhost:41234/workshop.git"));
  }

  @Test
  void anAddressTheRoomReachesIsKept() {
    assertEquals("http://192.168.1.20:41234/workshop.git", K3sCluster.fromInside("http://192.168.1.20:41234/workshop.git"));
  }
}
