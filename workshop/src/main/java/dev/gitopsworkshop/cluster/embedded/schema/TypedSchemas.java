package dev.gitopsworkshop.cluster.embedded.schema;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas of Kubernetes' built-in kinds, taken from fabric8's typed model (the classes the
 * fabric8 client deserializes into) rather than from hand-written field lists: every property a
 * class declares for JSON, with its type, as OpenAPI v3 definitions named after the class and
 * referenced with {@code $ref}. Built on first use of a kind, once.
 */
public final class TypedSchemas {
  private static final Logger LOG = LoggerFactory.getLogger(TypedSchemas.class);
  private static final ObjectMapper INTROSPECTION = Mappers.JSON; // read for its configuration only
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model.";
  private static final String REF_PREFIX = "#/components/schemas/";

  private final Map<String, ObjectNode> definitions = new LinkedHashMap<>();
  private final Map<Class<?>, String> names = new HashMap<>();
  private final Map<String, Optional<String>> kinds = new HashMap<>();
  private Map<String, List<String>> classesBySimpleName;
  private final TypedDescriptions descriptions = new TypedDescriptions();

  /** A definition by name ({@code io.k8s.api.apps.DeploymentSpec}), or null. */
  public synchronized ObjectNode definition(String name) {
    return definitions.get(name);
  }

  /** The name of the definition of a built-in kind, or empty when fabric8's model has no class for it. */
  public synchronized Optional<String> kind(String group, String version, String kind) {
    return kinds.computeIfAbsent(group + "/" + version + "/" + kind, k -> modelClass(group, version, kind).map(c -> {
      String name = define(c);
      ObjectNode gvk = JsonNodeFactory.instance.objectNode().put("group", group).put("version", version).put("kind", kind);
      definitions.get(name).putArray("x-kubernetes-group-version-kind").add(gvk);
      descriptions.forget(name);
      return name;
    }));
  }

  /** The definition of a model class (ObjectMeta for the metadata of custom resources). */
  public synchronized String of(Class<?> modelClass) {
    return define(modelClass);
  }

  /** {@code #/components/schemas/NAME} */
  public static String ref(String name) {
    return REF_PREFIX + name;
  }

  /** The definition name a {@code $ref} points to. */
  public static String refName(String ref) {
    return ref.startsWith(REF_PREFIX) ? ref.substring(REF_PREFIX.length()) : ref;
  }

  private String define(Class<?> c) {
    String known = names.get(c);
    if (known != null) {
      return known;
    }
    String name = "io.k8s.api." + (c.getName().startsWith(MODEL_PACKAGE) ? c.getName().substring(MODEL_PACKAGE.length()) : c.getName());
    names.put(c, name);
    ObjectNode def = JsonNodeFactory.instance.objectNode();
    definitions.put(name, def);
    def.put("type", "object");
    ObjectNode props = def.putObject("properties");
    BeanDescription bean = INTROSPECTION.getDeserializationConfig().introspect(INTROSPECTION.constructType(c));
    for (BeanPropertyDefinition p : bean.findProperties()) {
      if (!p.hasField() && !p.hasSetter() || p.getPrimaryType().isMapLikeType() && p.getPrimaryType().getContentType().getRawClass() == Object.class && p.getName().equals("additionalProperties")) {
        continue;
      }
      props.set(p.getName(), schema(p.getPrimaryType()));
    }
    patchStrategies(c.getSimpleName(), props);
    return name;
  }

  /**
   * How strategic merge patches merge a list (Kubernetes declares it in its Go types, which fabric8's
   * model does not carry): by which key, for the lists kubectl apply merges rather than replaces.
   */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("PodSpec.containers", "name"), Map.entry("PodSpec.initContainers", "name"),
      Map.entry("PodSpec.ephemeralContainers", "name"), Map.entry("PodSpec.volumes", "name"),
      Map.entry("PodSpec.imagePullSecrets", "name"), Map.entry("PodSpec.hostAliases", "ip"),
      Map.entry("PodSpec.topologySpreadConstraints", "topologyKey"), Map.entry("PodSpec.resourceClaims", "name"),
      Map.entry("Container.ports", "containerPort"), Map.entry("Container.env", "name"),
      Map.entry("Container.volumeMounts", "mountPath"), Map.entry("Container.volumeDevices", "devicePath"),
      Map.entry("EphemeralContainer.env", "name"), Map.entry("EphemeralContainer.volumeMounts", "mountPath"),
      Map.entry("EphemeralContainer.volumeDevices", "devicePath"), Map.entry("ObjectMeta.ownerReferences", "uid"),
      Map.entry("ServiceSpec.ports", "port"), Map.entry("DeploymentStatus.conditions", "type"),
      Map.entry("ReplicaSetStatus.conditions", "type"), Map.entry("StatefulSetStatus.conditions", "type"),
      Map.entry("DaemonSetStatus.conditions", "type"), Map.entry("PodStatus.conditions", "type"),
      Map.entry("NodeStatus.conditions", "type"), Map.entry("NodeStatus.addresses", "type"),
      Map.entry("JobStatus.conditions", "type"), Map.entry("NamespaceStatus.conditions", "type"),
      Map.entry("ServiceStatus.conditions", "type"));

  private static void patchStrategies(String simpleName, ObjectNode props) {
    props.fields().forEachRemaining(e -> {
      String key = MERGE_KEYS.get(simpleName + "." + e.getKey());
      if (key != null && e.getValue() instanceof ObjectNode list) {
        list.put("x-kubernetes-patch-merge-key", key).put("x-kubernetes-patch-strategy", "merge");
        list.put("x-kubernetes-list-type", "map").putArray("x-kubernetes-list-map-keys").add(key);
      }
    });
    if (simpleName.equals("ObjectMeta") && props.get("finalizers") instanceof ObjectNode finalizers) {
      finalizers.put("x-kubernetes-patch-strategy", "merge").put("x-kubernetes-list-type", "set");
    }
  }

  private JsonNode schema(JavaType t) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Class<?> raw = t.getRawClass();
    if (t.isCollectionLikeType() || t.isArrayType() && raw != byte[].class) {
      ObjectNode s = f.objectNode().put("type", "array");
      s.set("items", schema(t.getContentType()));
      return s;
    }
    if (t.isMapLikeType()) {
      ObjectNode s = f.objectNode().put("type", "object");
      s.set("additionalProperties", schema(t.getContentType()));
      return s;
    }
    if (raw == String.class || raw == byte[].class) {
      return f.objectNode().put("type", "string");
    }
    if (raw == Integer.class || raw == int.class) {
      return f.objectNode().put("type", "integer").put("format", "int32");
    }
    if (raw == Long.class || raw == long.class) {
      return f.objectNode().put("type", "integer").put("format", "int64");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return f.objectNode().put("type", "boolean");
    }
    if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
      return f.objectNode().put("type", "number").put("format", "double");
    }
    if (raw == IntOrString.class || raw == Quantity.class) {
      return f.objectNode().put("x-kubernetes-int-or-string", true);
    }
    if (raw == MicroTime.class || raw == io.fabric8.kubernetes.api.model.Duration.class) {
      return f.objectNode().put("type", "string");
    }
    if (raw.getSimpleName().equals("JSONSchemaPropsOrArray")) {
      // a schema (or, not in structural schemas, a list of them): checked as the schema it is
      return f.objectNode().put("$ref", ref(define(JSONSchemaProps.class)));
    }
    JsonDeserialize custom = raw.getAnnotation(JsonDeserialize.class);
    if (custom != null && custom.using() != JsonDeserializer.None.class) {
      // a value of several JSON types (JSON, JSONSchemaPropsOrBool...): its own deserializer reads it
      return f.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
    }
    if (raw.getName().startsWith("io.fabric8.kubernetes.api.model") && !raw.isInterface()
        && KubernetesResource.class.isAssignableFrom(raw)) {
      String name = define(raw);
      if (definitions.get(name).path("properties").isEmpty()) {
        // FieldsV1, RawExtension...: no declared fields, any content
        return f.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
      }
      return f.objectNode().put("$ref", ref(name));
    }
    // Object, JsonNode, an interface (a raw object of any kind): anything goes
    return f.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
  }

  private Optional<Class<?>> modelClass(String group, String version, String kind) {
    for (String name : classesBySimpleName().getOrDefault(kind, List.of())) {
      try {
        Class<?> c = Class.forName(name, false, TypedSchemas.class.getClassLoader());
        Group g = c.getAnnotation(Group.class);
        Version v = c.getAnnotation(Version.class);
        if (g != null && v != null && g.value().equals(group) && v.value().equals(version)) {
          return Optional.of(c);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        LOG.debug("fabric8 model class {} listed but not loadable: {}", name, e.toString());
      }
    }
    return Optional.empty();
  }

  private Map<String, List<String>> classesBySimpleName() {
    if (classesBySimpleName == null) {
      classesBySimpleName = new HashMap<>();
      try {
        Enumeration<URL> lists = TypedSchemas.class.getClassLoader()
            .getResources("META-INF/services/" + KubernetesResource.class.getName());
        while (lists.hasMoreElements()) {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
            r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l ->
                classesBySimpleName.computeIfAbsent(l.substring(l.lastIndexOf('.') + 1), k -> new ArrayList<>()).add(l));
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot list fabric8's model classes; built-in kinds are served without schemas", e);
      }
    }
    return classesBySimpleName;
  }

  /** A definition with the descriptions of Kubernetes' API documentation, for OpenAPI documents. */
  public synchronized ObjectNode documented(String name) {
    ObjectNode def = definitions.get(name);
    Class<?> c = names.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst().orElse(null);
    return def == null || c == null ? def : descriptions.describe(name, c, def);
  }

  /** Every definition made so far, by name (for the OpenAPI documents). */
  public synchronized Collection<String> names() {
    return new ArrayList<>(definitions.keySet());
  }
}
