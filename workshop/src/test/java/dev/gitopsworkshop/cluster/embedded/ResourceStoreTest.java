package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ResourceStoreTest {
  @Test
  void updateThatChangesNothingWritesNothing() {
    ResourceStore store = new ResourceStore();
    ResourceType configMaps = new ResourceTypes().byPlural("", "v1", "configmaps").orElseThrow();
    ObjectNode cm = Json.object();
    cm.putObject("metadata").put("name", "c").put("namespace", "default");
    cm.putObject("data").put("a", "1");
    ObjectNode created = store.create(configMaps, cm, false);
    long revision = store.revision();
    store.update(configMaps, created, ResourceStore.Part.MAIN, false);
    assertEquals(revision, store.revision());
  }
}
