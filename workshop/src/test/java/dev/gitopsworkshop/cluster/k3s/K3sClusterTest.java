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
  void podsGetTheAliasAddressFromTheContainersHostsFile() {
    String hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n172.17.0.3\thost.testcontainers.internal # forwarded\n172.17.0.4\tk3s\n";
    assertEquals("172.17.0.3", K3sCluster.addressOf(hosts, "host.testcontainers.internal"));
    assertEquals(null, K3sCluster.addressOf("127.0.0.1 localhost\n", "host.testcontainers.internal"));
    assertEquals("http://172.17.0.3:41234/workshop.git", K3sCluster.fromInside("http://127.0.0.1:41234/workshop.git", "172.17.0.3"));
  }

  @Test
  void anAddressTheRoomReachesIsKept() {
    assertEquals("http://192.168.1.20:41234/workshop.git", K3sCluster.fromInside("http://192.168.1.20:41234/workshop.git"));
  }
}
