package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks kube-apiserver makes that a participant can trip over, answered with the same 422
 * messages: object names, workload selectors and templates, containers without a name or image,
 * a CustomResourceDefinition whose name is not {@code plural.group}.
 */
final class Validation {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Validation() {}

  static void validate(ResourceType type, ObjectNode obj) {
    List<Cause> causes = new ArrayList<>();
    String name = obj.path("metadata").path("name").asText("");
    if (!name.isEmpty() && (name.length() > 253 || !SUBDOMAIN.matcher(name).matches())) {
      causes.add(invalid("metadata.name", name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
              + " and must start and end with an alphanumeric character (e.g. 'example.com')"));
    }
    if (type.builtIn()) {
      switch (type.group() + "/" + type.kind()) {
        case "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet" -> workload(obj, causes);
        case "/Pod" -> containers(obj.path("spec"), "spec", causes);
        case "apiextensions.k8s.io/CustomResourceDefinition" -> crd(obj, name, causes);
        default -> { }
      }
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid(qualifiedKind(type), name, causes);
    }
  }

  /** {@code Deployment.apps}, {@code Pod}: how kube-apiserver names a kind in errors. */
  static String qualifiedKind(ResourceType type) {
    return type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
  }

  private static void workload(ObjectNode obj, List<Cause> causes) {
    JsonNode spec = obj.path("spec");
    JsonNode selector = spec.path("selector");
    boolean hasSelector =
        selector.isObject() && (selector.path("matchLabels").size() > 0 || selector.path("matchExpressions").size() > 0);
    if (!hasSelector) {
      causes.add(required("spec.selector"));
    }
    JsonNode template = spec.path("template");
    if (!template.isObject()) {
      causes.add(required("spec.template"));
      return;
    }
    JsonNode labels = template.path("metadata").path("labels");
    if (hasSelector) {
      ObjectNode probe = Json.object();
      probe.putObject("metadata").set("labels", labels.isObject() ? labels.deepCopy() : Json.object());
      if (!Selectors.of(selector).test(probe)) {
        causes.add(invalid("spec.template.metadata.labels", Json.text(labels.isObject() ? labels : Json.object()),
            "`selector` does not match template `labels`"));
      }
    }
    containers(template.path("spec"), "spec.template.spec", causes);
  }

  private static void containers(JsonNode podSpec, String at, List<Cause> causes) {
    JsonNode list = podSpec.path("containers");
    if (!list.isArray() || list.isEmpty()) {
      causes.add(required(at + ".containers"));
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      String field = at + ".containers[" + i + "]";
      if (c.path("name").asText("").isEmpty()) {
        causes.add(required(field + ".name"));
      }
      if (c.path("image").asText("").isEmpty()) {
        causes.add(required(field + ".image"));
      }
    }
  }

  private static void crd(ObjectNode obj, String name, List<Cause> causes) {
    JsonNode spec = obj.path("spec");
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    if (group.isEmpty()) {
      causes.add(required("spec.group"));
    }
    if (plural.isEmpty()) {
      causes.add(required("spec.names.plural"));
    }
    if (spec.path("names").path("kind").asText("").isEmpty()) {
      causes.add(required("spec.names.kind"));
    }
    if (!spec.path("versions").isArray() || spec.path("versions").isEmpty()) {
      causes.add(required("spec.versions"));
    }
    if (!group.isEmpty() && !plural.isEmpty() && !name.equals(plural + "." + group)) {
      causes.add(invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
    }
    String scope = spec.path("scope").asText("");
    if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      causes.add(new Cause("FieldValueNotSupported",
          "Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope"));
    }
  }

  static Cause required(String field) {
    return new Cause("FieldValueRequired", "Required value", field);
  }

  static Cause invalid(String field, String value, String detail) {
    String shown = value.startsWith("{") ? value : "\"" + value + "\"";
    return new Cause("FieldValueInvalid", "Invalid value: " + shown + ": " + detail, field);
  }
}
