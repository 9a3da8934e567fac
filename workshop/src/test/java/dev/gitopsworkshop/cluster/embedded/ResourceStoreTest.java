package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResourceStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ResourceTypes types = new ResourceTypes();
  private final ResourceType deployments = types.byPlural("apps", "v1", "deployments").orElseThrow();
  private final ResourceType configmaps = types.byPlural("", "v1", "configmaps").orElseThrow();
  private final ResourceStore store = new ResourceStore();

  private static ObjectNode object(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private ObjectNode deployment(String name, int replicas) throws Exception {
    return object(
        "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},"
            + "\"spec\":{\"replicas\":" + replicas + "}}");
  }

  @Test
  void closingAWatchEndsAPollWaitingOnIt_notItsTimeout() throws Exception {
    ResourceStore.Subscription sub = store.clientWatch(deployments, "default", null, store.revision());
    CompletableFuture<WatchEvent> polled = CompletableFuture.supplyAsync(() -> {
      try {
        return sub.poll(10, TimeUnit.MINUTES); // a stopping API server closes its watches: this must not wait it out
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(100); // most likely waiting in poll by now; closed before it polls, it returns at once too
    sub.close();
    assertNull(polled.get(60, TimeUnit.SECONDS), "no event, and no waiting out the poll's ten minutes");
    assertTrue(sub.isClosed());
  }

  @Test
  void createAssignsIdentityAndGenerationOne() throws Exception {
    ObjectNode created = store.create(deployments, deployment("podinfo", 1), false);
    assertEquals(36, created.at("/metadata/uid").asText().length());
    assertEquals(1, created.at("/metadata/generation").asInt());
    assertEquals("apps/v1", created.get("apiVersion").asText());
    assertEquals("Deployment", created.get("kind").asText());
    assertTrue(created.at("/metadata/creationTimestamp").asText().endsWith("Z"));
  }

  @Test
  void createTwiceIsAlreadyExists() throws Exception {
    store.create(deployments, deployment("podinfo", 1), false);
    ApiException e =
        assertThrows(ApiException.class, () -> store.create(deployments, deployment("podinfo", 1), false));
    assertEquals(409, e.code());
    assertEquals("AlreadyExists", e.reason());
  }

  @Test
  void generateNameMakesAUniqueName() throws Exception {
    ObjectNode a = store.create(configmaps, object("{\"metadata\":{\"generateName\":\"x-\",\"namespace\":\"default\"}}"), false);
    ObjectNode b = store.create(configmaps, object("{\"metadata\":{\"generateName\":\"x-\",\"namespace\":\"default\"}}"), false);
    assertTrue(a.at("/metadata/name").asText().startsWith("x-"));
    assertNotEquals(a.at("/metadata/name").asText(), b.at("/metadata/name").asText());
  }

  @Test
  void staleUpdateIsAConflictAndStoresNothing() throws Exception {
    ObjectNode created = store.create(deployments, deployment("podinfo", 1), false);
    ObjectNode first = created.deepCopy();
    ((ObjectNode) first.get("spec")).put("replicas", 2);
    store.update(deployments, first, ResourceStore.Part.MAIN, false);
    ObjectNode stale = created.deepCopy();
    ((ObjectNode) stale.get("spec")).put("replicas", 3);
    ApiException e =
        assertThrows(ApiException.class, () -> store.update(deployments, stale, ResourceStore.Part.MAIN, false));
    assertEquals(409, e.code());
    assertEquals(2, store.get(deployments, "default", "podinfo").orElseThrow().at("/spec/replicas").asInt());
  }

  @Test
  void specChangeBumpsGenerationButStatusDoesNot() throws Exception {
    ObjectNode created = store.create(deployments, deployment("podinfo", 1), false);
    ObjectNode withStatus = created.deepCopy();
    withStatus.putObject("status").put("replicas", 1);
    ObjectNode afterStatus = store.update(deployments, withStatus, ResourceStore.Part.STATUS, false);
    assertEquals(1, afterStatus.at("/metadata/generation").asInt());
    assertEquals(1, afterStatus.at("/status/replicas").asInt());

    ObjectNode scaled = afterStatus.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 4);
    scaled.remove("status");
    ObjectNode afterSpec = store.update(deployments, scaled, ResourceStore.Part.MAIN, false);
    assertEquals(2, afterSpec.at("/metadata/generation").asInt());
    assertEquals(1, afterSpec.at("/status/replicas").asInt(), "a main update keeps the status");
  }

  @Test
  void noOpUpdateWritesNothing() throws Exception {
    ObjectNode created = store.create(deployments, deployment("podinfo", 1), false);
    long before = store.revision();
    ObjectNode same = store.update(deployments, created.deepCopy(), ResourceStore.Part.MAIN, false);
    assertEquals(before, store.revision());
    assertEquals(created.at("/metadata/resourceVersion"), same.at("/metadata/resourceVersion"));
  }

  @Test
  void finalizersDelayDeletionUntilRemoved() throws Exception {
    ObjectNode cm = object("{\"metadata\":{\"name\":\"held\",\"namespace\":\"default\",\"finalizers\":[\"x\"]}}");
    store.create(configmaps, cm, false);
    ObjectNode deleting = store.delete(configmaps, "default", "held", null, false);
    assertTrue(deleting.at("/metadata/deletionTimestamp").isTextual());
    assertTrue(store.get(configmaps, "default", "held").isPresent());
    deleting.with("metadata").putArray("finalizers");
    store.update(configmaps, deleting, ResourceStore.Part.MAIN, false);
    assertTrue(store.get(configmaps, "default", "held").isEmpty());
  }

  @Test
  void watchReplaysFromAResourceVersionAndFollowsSelectors() throws Exception {
    ObjectNode created = store.create(deployments, deployment("a", 1), false);
    long from = created.at("/metadata/resourceVersion").asLong();
    ObjectNode labelled = deployment("b", 1);
    labelled.with("metadata").putObject("labels").put("app", "b");
    store.create(deployments, labelled, false);

    try (ResourceStore.Subscription all = store.watch(deployments, "default", null, from);
        ResourceStore.Subscription onlyB =
            store.watch(deployments, null, Selectors.labels("app in (b,c)"), 0)) {
      WatchEvent replayed = all.poll(1, TimeUnit.SECONDS);
      assertEquals(WatchEvent.ADDED, replayed.type());
      assertEquals("b", replayed.object().at("/metadata/name").asText());

      store.delete(deployments, "default", "a", null, false);
      store.delete(deployments, "default", "b", null, false);
      assertEquals("a", all.poll(1, TimeUnit.SECONDS).object().at("/metadata/name").asText());
      WatchEvent bGone = onlyB.poll(1, TimeUnit.SECONDS);
      assertEquals(WatchEvent.DELETED, bGone.type());
      assertEquals("b", bGone.object().at("/metadata/name").asText());
      assertNull(onlyB.poll(50, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void objectThatStopsMatchingIsDeliveredAsDeleted() throws Exception {
    ObjectNode cm = object("{\"metadata\":{\"name\":\"c\",\"namespace\":\"default\",\"labels\":{\"app\":\"x\"}}}");
    ObjectNode created = store.create(configmaps, cm, false);
    try (ResourceStore.Subscription sub = store.watch(configmaps, null, Selectors.labels("app=x"), 0)) {
      ObjectNode relabelled = created.deepCopy();
      relabelled.with("metadata").with("labels").put("app", "y");
      store.update(configmaps, relabelled, ResourceStore.Part.MAIN, false);
      assertEquals(WatchEvent.DELETED, sub.poll(1, TimeUnit.SECONDS).type());
    }
  }
}
