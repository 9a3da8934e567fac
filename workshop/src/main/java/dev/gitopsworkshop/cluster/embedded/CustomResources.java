package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceType.PrinterColumn;
import dev.gitopsworkshop.cluster.embedded.schema.CrdSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * CustomResourceDefinitions: when one is stored, its served versions become resource types (with
 * their short names, categories, subresources and printer columns) before the API answers, and its
 * status says the names are accepted and it is established, so {@code kubectl wait --for
 * condition=established} works. When one is deleted, its type and its objects go.
 */
final class CustomResources {
  private CustomResources() {}

  static void validate(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    List<ApiException.Cause> causes = new ArrayList<>();
    String name = crd.at("/metadata/name").asText("");
    String expected = spec.at("/names/plural").asText("") + "." + spec.path("group").asText("");
    if (spec.path("group").asText("").isEmpty()) {
      causes.add(new ApiException.Cause("FieldValueRequired", "Required value", "spec.group"));
    }
    if (spec.at("/names/plural").asText("").isEmpty() || spec.at("/names/kind").asText("").isEmpty()) {
      causes.add(new ApiException.Cause("FieldValueRequired", "Required value", "spec.names"));
    }
    if (!name.equals(expected)) {
      causes.add(
          new ApiException.Cause("FieldValueInvalid", "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group", "metadata.name"));
    }
    if (!spec.path("versions").isArray() || spec.path("versions").isEmpty()) {
      causes.add(new ApiException.Cause("FieldValueRequired", "Required value", "spec.versions"));
    }
    causes.addAll(CrdSchemas.check(crd));
    if (!causes.isEmpty()) {
      throw ApiException.invalid("CustomResourceDefinition.apiextensions.k8s.io", name, causes);
    }
  }

  /** Registers (or re-registers) every served version of a CRD. */
  static void register(ResourceTypes types, JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    JsonNode names = spec.path("names");
    types.removeCustom(group, names.path("plural").asText());
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      List<String> subresources = new ArrayList<>();
      if (v.at("/subresources/status").isObject()) {
        subresources.add("status");
      }
      if (v.at("/subresources/scale").isObject()) {
        subresources.add("scale");
      }
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode c : v.path("additionalPrinterColumns")) {
        columns.add(
            new PrinterColumn(
                c.path("name").asText(), c.path("type").asText("string"), c.path("jsonPath").asText(),
                c.path("description").asText(""), c.path("priority").asInt(0)));
      }
      types.add(
          new ResourceType(
              group,
              v.path("name").asText(),
              names.path("kind").asText(),
              names.path("plural").asText(),
              names.path("singular").asText(names.path("kind").asText().toLowerCase()),
              !"Cluster".equals(spec.path("scope").asText("Namespaced")),
              strings(names.path("shortNames")),
              strings(names.path("categories")),
              subresources,
              columns,
              false));
    }
  }

  /** The status a CRD gets once its names are accepted. */
  static void establish(ObjectNode crd) {
    ObjectNode status = crd.with("status");
    status.set("acceptedNames", crd.at("/spec/names").deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    String now = ResourceStore.now();
    conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("reason", "NoConflicts")
        .put("message", "no conflicts found").put("lastTransitionTime", now);
    conditions.addObject().put("type", "Established").put("status", "True").put("reason", "InitialNamesAccepted")
        .put("message", "the initial names have been accepted").put("lastTransitionTime", now);
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode v : crd.at("/spec/versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(v.path("name").asText());
      }
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
