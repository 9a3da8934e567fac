package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A store that runs all day: its watch history bounded by bytes, a watcher that falls behind closed, as kube-apiserver does. */
class BoundedStoreTest {
  private final ResourceTypes types = new ResourceTypes();
  private final ResourceType configmaps = types.byPlural("", "v1", "configmaps").orElseThrow();
  private final ResourceStore store = new ResourceStore();

  private ObjectNode configMap(String name, int kilobytes) {
    ObjectNode o = Json.object();
    o.putObject("metadata").put("name", name).put("namespace", "default");
    o.putObject("data").put("blob", "x".repeat(kilobytes * 1024));
    return o;
  }

  @Test
  void theWatchHistoryIsBoundedByBytesNotOnlyByCount() {
    for (int i = 0; i < 400; i++) { // 400 events of 100 KB: 40 MB of history, a few hundred events
      store.create(configmaps, configMap("big-" + i, 100), false);
    }
    long[] size = store.historySize();
    assertTrue(size[1] <= ResourceStore.HISTORY_BYTES, "history holds " + size[1] + " bytes");
    assertTrue(size[0] < 400, "the oldest events made room: " + size[0] + " kept");
  }

  @Test
  void aClientWatcherThatFallsBehindIsClosedAndTheControllersOwnIsNot() throws Exception {
    ResourceStore.Subscription paused = store.clientWatch(configmaps, null, null, 0);
    ResourceStore.Subscription controller = store.watch(configmaps, null, null, 0);
    for (int i = 0; i <= ResourceStore.WATCHER_QUEUE_LIMIT; i++) {
      store.create(configmaps, configMap("cm-" + i, 0), false);
    }
    assertTrue(paused.isClosed() && paused.fellBehind(), "a reader that does not keep up is let go");
    assertFalse(controller.isClosed(), "the cluster's own controllers are never dropped");
    assertNotNull(controller.poll(1, TimeUnit.SECONDS));
  }

  @Test
  void aClientWatcherThatKeepsUpStaysOpen() throws Exception {
    ResourceStore.Subscription reader = store.clientWatch(configmaps, null, null, 0);
    for (int i = 0; i < ResourceStore.WATCHER_QUEUE_LIMIT * 2; i++) {
      store.create(configmaps, configMap("cm-" + i, 0), false);
      assertEquals("cm-" + i, reader.poll(1, TimeUnit.SECONDS).object().at("/metadata/name").asText());
    }
    assertFalse(reader.isClosed());
  }
}
