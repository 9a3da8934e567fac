package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {
  ResourceStore store;
  ResourceTypes types;
  ResourceWriter writer;
  ResourceType configMaps;

  @BeforeEach
  void setUp() {
    store = new ResourceStore();
    types = new ResourceTypes();
    writer = new ResourceWriter(store, types, new CrdRegistrar(store, types));
    configMaps = types.byPlural("", "v1", "configmaps").orElseThrow();
    ObjectNode ns = Json.object();
    ns.putObject("metadata").put("name", "default");
    store.create(types.byPlural("", "v1", "namespaces").orElseThrow(), ns, false);
  }

  private Reply apply(String manager, boolean force, String yaml) {
    Map<String, String> query = new java.util.HashMap<>(Map.of("fieldManager", manager));
    if (force) {
      query.put("force", "true");
    }
    ApiRequest req = new ApiRequest("PATCH", "", "v1", "default", "configmaps", "cfg", null, query,
        "application/apply-patch+yaml", "");
    return new ServerSideApply(writer, store).apply(req, configMaps, yaml.getBytes(StandardCharsets.UTF_8));
  }

  private ObjectNode live() {
    return store.get(configMaps, "default", "cfg").orElseThrow();
  }

  @Test
  void applyToAMissingObjectCreatesItWithManagedFields() {
    Reply r = apply("ci", false, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n");
    assertEquals(201, r.status());
    var entry = live().path("metadata").path("managedFields").get(0);
    assertEquals("ci", entry.path("manager").asText());
    assertEquals("FieldsV1", entry.path("fieldsType").asText());
    assertTrue(entry.path("fieldsV1").path("f:data").has("f:a"));
  }

  @Test
  void fieldsNoLongerAppliedAreRemovedButOthersFieldsStay() {
    apply("ci", false, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1', b: '2'}\n");
    apply("other", false, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {c: '3'}\n");
    apply("ci", false, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n");
    assertEquals(Map.of("a", "1", "c", "3"), Json.MAPPER.convertValue(live().path("data"), Map.class));
  }

  @Test
  void changingAFieldAnotherManagerAppliedConflictsUnlessForced() {
    apply("ci", false, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n");
    ApiException e = assertThrows(ApiException.class,
        () -> apply("other", false, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '2'}\n"));
    assertEquals(409, e.code());
    assertTrue(e.getMessage().contains("conflict with \"ci\""), e.getMessage());
    assertTrue(e.getMessage().contains(".data.a"), e.getMessage());
    apply("other", true, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '2'}\n");
    assertEquals("2", live().path("data").path("a").asText());
  }

  @Test
  void applyWithoutFieldManagerIsRejected() {
    ApiRequest req = new ApiRequest("PATCH", "", "v1", "default", "configmaps", "cfg", null, Map.of(),
        "application/apply-patch+yaml", "");
    ApiException e = assertThrows(ApiException.class, () -> new ServerSideApply(writer, store)
        .apply(req, configMaps, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(422, e.code());
    assertFalse(store.get(configMaps, "default", "cfg").isPresent());
  }

  @Test
  void managedFieldsKeyListItemsByMergeKey() throws Exception {
    ObjectNode fields = ManagedFields.of((ObjectNode) Json.MAPPER.readTree(
        "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"x\"}]},\"metadata\":{\"name\":\"n\",\"labels\":{\"a\":\"b\"}}}"));
    assertTrue(fields.path("f:spec").path("f:containers").has("k:{\"name\":\"app\"}"));
    assertTrue(fields.path("f:spec").path("f:containers").path("k:{\"name\":\"app\"}").has("f:image"));
    assertFalse(fields.path("f:metadata").has("f:name"));
  }

  @Test
  void reapplyingTheSameConfigurationWritesNothing() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n";
    apply("ci", false, yaml);
    long revision = store.revision();
    apply("ci", false, yaml);
    assertEquals(revision, store.revision());
  }
}
