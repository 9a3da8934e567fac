package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.annotations.ApiModel;
import io.swagger.annotations.ApiModelProperty;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API documentation of built-in kinds, for {@code kubectl explain}: Kubernetes' own model
 * classes (io.kubernetes:client-java-api, generated from Kubernetes' OpenAPI) carry each type's
 * and field's description in their annotations. Read only when an OpenAPI document is served, and
 * once per definition.
 */
final class TypedDescriptions {
  private static final Logger LOG = LoggerFactory.getLogger(TypedDescriptions.class);
  private static final String MODELS = "io.kubernetes.client.openapi.models.";
  private final Map<String, ObjectNode> described = new ConcurrentHashMap<>();

  /** Drops a described copy (its definition changed). */
  void forget(String name) {
    described.remove(name);
  }

  /** The definition with descriptions, where Kubernetes' model has the same type. */
  ObjectNode describe(String name, Class<?> fabric8Class, ObjectNode definition) {
    return described.computeIfAbsent(name, n -> {
      ObjectNode copy = definition.deepCopy();
      kubernetesClass(fabric8Class).ifPresent(k -> annotate(k, copy));
      return copy;
    });
  }

  private static Optional<Class<?>> kubernetesClass(Class<?> fabric8Class) {
    String pkg = fabric8Class.getPackageName();
    String last = pkg.substring(pkg.lastIndexOf('.') + 1);
    String versioned = last.matches("v[0-9]+((alpha|beta)[0-9]+)?") ? capitalize(last) : null;
    for (String prefix : versioned != null ? List.of(versioned, "V1") : List.of("V1", "V2")) {
      try {
        return Optional.of(Class.forName(MODELS + prefix + fabric8Class.getSimpleName(), false, TypedDescriptions.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        // try the next version
      } catch (LinkageError e) {
        LOG.debug("Kubernetes' model class for {} cannot be loaded: {}", fabric8Class.getName(), e.toString());
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static void annotate(Class<?> k, ObjectNode definition) {
    try {
      ApiModel model = k.getAnnotation(ApiModel.class);
      if (model != null && !model.description().isEmpty()) {
        definition.put("description", model.description());
      }
      Map<String, Method> getters = new java.util.HashMap<>();
      for (Method m : k.getMethods()) {
        if (m.getParameterCount() == 0 && m.isAnnotationPresent(ApiModelProperty.class)) {
          getters.put(m.getName(), m);
        }
      }
      definition.path("properties").fields().forEachRemaining(p -> {
        Method getter = getters.getOrDefault("get" + capitalize(p.getKey()), getters.get("is" + capitalize(p.getKey())));
        String text = getter == null ? "" : getter.getAnnotation(ApiModelProperty.class).value();
        if (!text.isEmpty() && p.getValue() instanceof ObjectNode property) {
          describe(property, text);
        }
      });
    } catch (LinkageError e) {
      LOG.debug("no descriptions from {}: {}", k.getName(), e.toString());
    }
  }

  /** A reference gets its description as kube-apiserver writes it: {@code allOf: [{$ref}]} beside it. */
  private static void describe(ObjectNode property, String text) {
    JsonNode ref = property.remove("$ref");
    if (ref != null) {
      property.putArray("allOf").addObject().set("$ref", ref);
    }
    property.put("description", text);
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
