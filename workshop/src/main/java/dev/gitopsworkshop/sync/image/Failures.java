package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.Events;
import dev.gitopsworkshop.sync.FluxStatus;
import java.util.List;

/**
 * How the image controllers report a failure, as Flux's do: Ready=False with the reason, the last
 * good results kept, and a Warning event when the message is new.
 */
final class Failures {
  private Failures() {}

  static void report(Kube api, KubeKind kind, JsonNode obj, List<String> keptStatusFields, String reason, String message,
      String component) {
    ObjectNode status = FluxStatus.handled(obj);
    for (String kept : keptStatusFields) {
      JsonNode value = obj.at("/status/" + kept);
      if (!value.isMissingNode() && !value.isNull()) {
        status.set(kept, value);
      }
    }
    status.set("conditions", FluxStatus.conditions(FluxStatus.condition("Ready", false, reason, message, obj)));
    String previous = FluxStatus.find(obj, "Ready").path("message").asText();
    api.patchStatus(kind, obj.at("/metadata/namespace").asText(), obj.at("/metadata/name").asText(), FluxStatus.statusPatch(status));
    if (!message.equals(previous)) {
      Events.record(api, obj, "Warning", reason, message, component);
    }
  }
}
