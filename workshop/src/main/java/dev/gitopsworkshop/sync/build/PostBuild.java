package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The kustomize-controller's post-build stage, {@code spec.postBuild}: variables from the
 * ConfigMaps and Secrets of {@code substituteFrom} (in order, a later one winning; a missing one
 * fails the build unless {@code optional}) and then {@code substitute}, expanded in each built
 * object's YAML with Flux's syntax ({@link EnvSubst}). An object labelled or annotated
 * {@code kustomize.toolkit.fluxcd.io/substitute: disabled} is left as built. Without any variable
 * nothing is substituted, unless {@code substituteStrategy: Always}.
 */
final class PostBuild {
  static final String DISABLE = "kustomize.toolkit.fluxcd.io/substitute";
  private static final Pattern VAR_NAME = Pattern.compile("^[_a-zA-Z][_a-zA-Z0-9]*$");
  private static final String VAR_NAME_RULE = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";

  private final JsonNode ks;
  private final ObjectReader sources;
  private Map<String, String> vars;

  PostBuild(JsonNode ks, ObjectReader sources) {
    this.ks = ks;
    this.sources = sources;
  }

  boolean enabled() {
    return ks.at("/spec/postBuild").isObject();
  }

  /**
   * The object after substitution in {@code yaml}, its YAML text as kustomize printed it; the same
   * object when nothing is to be substituted.
   */
  ObjectNode apply(ObjectNode object, String yaml) {
    if (!enabled() || disabled(object)) {
      return object;
    }
    String id = gvk(object) + "/" + object.at("/metadata/name").asText();
    try {
      if (vars == null) {
        vars = load();
      }
      boolean always = "Always".equals(ks.at("/spec/postBuild/substituteStrategy").asText());
      if (vars.isEmpty() && !always) {
        return object;
      }
      for (String name : vars.keySet()) {
        if (!VAR_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("envsubst error: '" + name + "' var name is invalid, must match '" + VAR_NAME_RULE + "'");
        }
      }
      String expanded;
      try {
        expanded = EnvSubst.expand(yaml, name -> vars.getOrDefault(name, ""));
      } catch (EnvSubst.SyntaxError e) {
        throw new IllegalArgumentException("envsubst error: variable substitution failed: " + e.getMessage());
      }
      List<JsonNode> docs;
      try {
        docs = Manifests.documents(id, expanded);
      } catch (BuildFailure e) {
        throw new IllegalArgumentException("envsubst error: YAMLToJSON: " + e.getMessage().substring(id.length() + 2));
      }
      if (docs.size() != 1 || !(docs.get(0) instanceof ObjectNode result)) {
        throw new IllegalArgumentException("envsubst error: the substitution did not leave one object");
      }
      return result;
    } catch (IllegalArgumentException e) {
      throw BuildFailure.build("post build failed for '" + id + "': " + e.getMessage());
    }
  }

  private Map<String, String> load() {
    Map<String, String> loaded = new HashMap<>();
    String namespace = ks.at("/metadata/namespace").asText();
    for (JsonNode ref : ks.at("/spec/postBuild/substituteFrom")) {
      String kind = ref.path("kind").asText();
      String name = ref.path("name").asText();
      if (!kind.equals("ConfigMap") && !kind.equals("Secret")) {
        continue; // Flux reads only these two kinds, and passes over any other
      }
      JsonNode source;
      try {
        source = sources.get(kind, namespace, name);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("substitute from '" + kind + "/" + name + "' error: " + e.getMessage(), e);
      }
      if (source == null) {
        if (ref.path("optional").asBoolean(false)) {
          continue;
        }
        throw new IllegalArgumentException("substitute from '" + kind + "/" + name + "' error: "
            + kind.toLowerCase() + "s \"" + name + "\" not found");
      }
      source.path("data").fields().forEachRemaining(e -> loaded.put(e.getKey(), oneLine(
          "Secret".equals(kind) ? new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)
              : e.getValue().asText())));
    }
    ks.at("/spec/postBuild/substitute").fields().forEachRemaining(e -> loaded.put(e.getKey(), oneLine(e.getValue().asText())));
    return loaded;
  }

  private static String oneLine(String value) {
    return value.replace("\n", "");
  }

  /** kustomize's name of an object's type in messages: {@code Deployment.v1.apps}, {@code ConfigMap.v1.[noGrp]}. */
  static String gvk(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    return object.path("kind").asText("[noKind]") + "." + (version.isEmpty() ? "[noVer]" : version) + "."
        + (group.isEmpty() ? "[noGrp]" : group);
  }

  /** Whether the label or annotation that switches substitution off is set on an object. */
  static boolean disabled(JsonNode object) {
    return "disabled".equals(object.at("/metadata/labels").path(DISABLE).asText())
        || "disabled".equals(object.at("/metadata/annotations").path(DISABLE).asText());
  }
}
