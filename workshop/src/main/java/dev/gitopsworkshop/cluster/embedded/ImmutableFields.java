package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields kube-apiserver refuses to change on an update, for the kinds a GitOps repository
 * holds: a workload's {@code spec.selector}, a Job's selector and template, the data of a
 * ConfigMap or Secret marked {@code immutable}. Refused with 422 and "field is immutable", which
 * is what {@code kubectl apply --force} and Flux's {@code force} look for to recreate the object.
 */
final class ImmutableFields {
  private ImmutableFields() {}

  static void check(ResourceType type, ObjectNode live, ObjectNode next) {
    if (live == null) {
      return;
    }
    List<Cause> causes = new ArrayList<>();
    switch (type.group() + "/" + type.kind()) {
      case "apps/Deployment", "apps/ReplicaSet", "apps/DaemonSet", "apps/StatefulSet" -> same(live, next, "spec", "selector", causes);
      case "batch/Job" -> {
        same(live, next, "spec", "selector", causes);
        same(live, next, "spec", "template", causes);
      }
      case "/ConfigMap", "/Secret" -> {
        if (live.path("immutable").asBoolean(false)) {
          for (String field : List.of("data", "binaryData", "stringData")) {
            if (!live.path(field).equals(next.path(field)) && !(field.equals("stringData") && next.path(field).isMissingNode())) {
              causes.add(new Cause("FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set", field));
            }
          }
          if (!next.path("immutable").asBoolean(false)) {
            causes.add(new Cause("FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set", "immutable"));
          }
        }
      }
      default -> {
        return;
      }
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid(type.kind(), live.at("/metadata/name").asText(), causes);
    }
  }

  private static void same(JsonNode live, JsonNode next, String parent, String field, List<Cause> causes) {
    JsonNode before = live.path(parent).path(field);
    JsonNode after = next.path(parent).path(field);
    if (!before.isMissingNode() && !before.equals(after)) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: " + Json.write(after) + ": field is immutable", parent + "." + field));
    }
  }
}
