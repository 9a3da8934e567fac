package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceType.PrinterColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * What kube-apiserver's apiextensions part does for a CustomResourceDefinition: when one is
 * stored, every served version becomes a {@link ResourceType} (names, scope, subresources,
 * printer columns) and the CRD's status says its names are accepted and it is Established, all
 * before the API answers; when one is deleted, its kind goes and so do all its objects.
 */
final class CrdRegistrar {
  static final String GROUP = "apiextensions.k8s.io";

  private final ResourceStore store;
  private final ResourceTypes types;

  CrdRegistrar(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.types = types;
  }

  private static boolean isCrd(ResourceType type) {
    return type.builtIn() && type.group().equals(GROUP) && type.kind().equals("CustomResourceDefinition");
  }

  /** Rejects a CRD that would take over a built-in kind's names. */
  void check(ResourceType type, ObjectNode crd) {
    if (!isCrd(type)) {
      return;
    }
    String group = crd.path("spec").path("group").asText();
    String plural = crd.path("spec").path("names").path("plural").asText();
    for (ResourceType t : types.all()) {
      if (t.builtIn() && t.group().equals(group) && t.plural().equals(plural)) {
        throw ApiException.invalid("CustomResourceDefinition.apiextensions.k8s.io",
            crd.path("metadata").path("name").asText(), "spec.group",
            "Invalid value: \"" + group + "\": " + plural + "." + group + " is served by the API server itself");
      }
    }
  }

  ObjectNode created(ResourceType type, ObjectNode crd) {
    return isCrd(type) ? register(type, crd) : crd;
  }

  ObjectNode updated(ResourceType type, ObjectNode crd) {
    return isCrd(type) && !crd.path("metadata").has("deletionTimestamp") ? register(type, crd) : crd;
  }

  void deleted(ResourceType type, ObjectNode crd) {
    if (!isCrd(type) || store.get(type, null, crd.path("metadata").path("name").asText()).isPresent()) {
      return;
    }
    List<ResourceType> kinds = typesOf(crd);
    String group = crd.path("spec").path("group").asText();
    String plural = crd.path("spec").path("names").path("plural").asText();
    if (!kinds.isEmpty()) {
      ResourceType any = kinds.get(0);
      for (ObjectNode o : store.list(any, null, null).items()) {
        try {
          store.delete(any, o.path("metadata").path("namespace").asText(null), o.path("metadata").path("name").asText(), null, false);
        } catch (ApiException gone) {
          // already deleted
        }
      }
    }
    types.removeCustom(group, plural);
  }

  private ObjectNode register(ResourceType crdType, ObjectNode crd) {
    List<ResourceType> kinds = typesOf(crd);
    JsonNode spec = crd.path("spec");
    types.removeCustom(spec.path("group").asText(), spec.path("names").path("plural").asText());
    kinds.forEach(types::add);
    ObjectNode next = crd.deepCopy();
    ObjectNode status = next.putObject("status");
    ObjectNode accepted = status.putObject("acceptedNames");
    JsonNode names = spec.path("names");
    accepted.put("plural", names.path("plural").asText());
    accepted.put("singular", names.path("singular").asText(names.path("kind").asText().toLowerCase()));
    accepted.put("kind", names.path("kind").asText());
    accepted.put("listKind", names.path("listKind").asText(names.path("kind").asText() + "List"));
    if (names.has("shortNames")) {
      accepted.set("shortNames", names.get("shortNames"));
    }
    if (names.has("categories")) {
      accepted.set("categories", names.get("categories"));
    }
    ArrayNode conditions = status.putArray("conditions");
    condition(crd, conditions, "NamesAccepted", "NoConflicts", "no conflicts found");
    condition(crd, conditions, "Established", "InitialNamesAccepted", "the initial names have been accepted");
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(v.path("name").asText());
      }
    }
    if (stored.isEmpty() && spec.path("versions").size() > 0) {
      stored.add(spec.path("versions").get(0).path("name").asText());
    }
    return store.update(crdType, next, ResourceStore.Part.STATUS, false);
  }

  private static void condition(ObjectNode crd, ArrayNode out, String type, String reason, String message) {
    String since = ResourceStore.now();
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) {
        since = c.path("lastTransitionTime").asText(since);
      }
    }
    ObjectNode c = out.addObject();
    c.put("type", type);
    c.put("status", "True");
    c.put("lastTransitionTime", since);
    c.put("reason", reason);
    c.put("message", message);
  }

  /** The ResourceTypes a CRD defines, one per served version. */
  static List<ResourceType> typesOf(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String kind = names.path("kind").asText();
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      List<String> subresources = new ArrayList<>();
      v.path("subresources").fieldNames().forEachRemaining(subresources::add);
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode c : v.path("additionalPrinterColumns")) {
        columns.add(new PrinterColumn(c.path("name").asText(), c.path("type").asText("string"),
            c.path("jsonPath").asText(), c.path("description").asText(""), c.path("priority").asInt(0)));
      }
      out.add(new ResourceType(
          spec.path("group").asText(),
          v.path("name").asText(),
          kind,
          names.path("plural").asText(),
          names.path("singular").asText(kind.toLowerCase()),
          !spec.path("scope").asText().equals("Cluster"),
          strings(names.path("shortNames")),
          strings(names.path("categories")),
          subresources,
          columns,
          false));
    }
    return out;
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }
}
