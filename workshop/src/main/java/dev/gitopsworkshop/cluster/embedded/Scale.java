package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code scale} subresource: an autoscaling/v1 Scale view of a workload's replicas. */
final class Scale {
  private Scale() {}

  static ObjectNode of(ResourceType type, ObjectNode obj) {
    ObjectNode scale = Json.object();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (obj.at("/metadata").has(f)) {
        meta.set(f, obj.at("/metadata/" + f));
      }
    }
    scale.putObject("spec").put("replicas", obj.at("/spec/replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", obj.at("/status/replicas").asInt(0));
    if (obj.at("/spec/selector").isObject()) {
      status.put("selector", selectorText(obj));
    }
    return scale;
  }

  /** The workload with the Scale's desired replicas. */
  static ObjectNode apply(ObjectNode workload, ObjectNode scale) {
    ObjectNode copy = workload.deepCopy();
    if (!scale.at("/spec/replicas").isNumber()) {
      throw ApiException.invalid("Scale", workload.at("/metadata/name").asText(), "spec.replicas", "Required value");
    }
    int replicas = scale.at("/spec/replicas").asInt();
    if (replicas < 0) {
      throw ApiException.invalid(
          "Scale", workload.at("/metadata/name").asText(),
          java.util.List.of(new ApiException.Cause("FieldValueInvalid", "Invalid value: " + replicas + ": must be greater than or equal to 0", "spec.replicas")));
    }
    copy.with("spec").put("replicas", replicas);
    String rv = scale.at("/metadata/resourceVersion").asText("");
    if (!rv.isEmpty()) {
      copy.with("metadata").put("resourceVersion", rv);
    }
    return copy;
  }

  private static String selectorText(ObjectNode obj) {
    StringBuilder sb = new StringBuilder();
    obj.at("/spec/selector/matchLabels").fields().forEachRemaining(e -> {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue().asText());
    });
    return sb.toString();
  }
}
