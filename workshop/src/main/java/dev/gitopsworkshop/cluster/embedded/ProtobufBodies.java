package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubectl's typed commands ({@code create deployment|job|cronjob|service|ingress|role|...}, {@code
 * run}, {@code expose}) send their object as Kubernetes protobuf and do not fall back to JSON. This
 * decodes any kind Kubernetes' own protobuf model knows (io.kubernetes:client-java-proto: the
 * envelope {@code k8s\0} + runtime.Unknown, then the kind's message) into the JSON the same object
 * has: apimachinery's special messages (Time, IntOrString, Quantity, RawExtension...) become their
 * JSON forms, bytes become base64, and the zero values Go's JSON leaves out ({@code omitempty}:
 * empty strings, false, 0) are left out, except a replica count of 0, which a typed create sets
 * on purpose.
 */
final class ProtobufBodies {
  private static final Logger LOG = LoggerFactory.getLogger(ProtobufBodies.class);
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

  private ProtobufBodies() {}

  static ObjectNode decode(byte[] body) {
    if (body.length < 4 || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2] || body[3] != MAGIC[3]) {
      throw unsupported("the body is not Kubernetes protobuf");
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, 4, body.length - 4));
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("the protobuf body cannot be read: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw ApiException.badRequest("Object 'Kind' or 'apiVersion' is missing in the protobuf body");
    }
    Message message = parse(messageClass(apiVersion, kind), unknown.getRaw(), kind);
    ObjectNode obj = Json.object();
    obj.put("apiVersion", apiVersion);
    obj.put("kind", kind);
    obj.setAll(object(message));
    return obj;
  }

  /** {@code apps/v1} + Deployment: {@code io.kubernetes.client.proto.V1Apps$Deployment}. */
  private static String messageClass(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String groupWord = group.isEmpty() ? "" : group.split("\\.")[0];
    return "io.kubernetes.client.proto." + capitalize(version) + capitalize(groupWord) + "$" + kind;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  private static Message parse(String className, ByteString raw, String kind) {
    try {
      Class<?> type = Class.forName(className);
      return (Message) type.getMethod("parseFrom", ByteString.class).invoke(null, raw);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw unsupported("kubectl sent a " + kind + " as protobuf, a kind Kubernetes' protobuf model does not have");
    } catch (InvocationTargetException e) {
      throw ApiException.badRequest("the protobuf body of the " + kind + " cannot be read: " + e.getCause().getMessage());
    } catch (IllegalAccessException e) {
      LOG.warn("cannot use the protobuf model's {}", className, e);
      throw unsupported("kubectl sent a " + kind + " as protobuf, which the embedded cluster cannot read");
    }
  }

  /**
   * Fields Go embeds in their parent's JSON ({@code json:",inline"}), which protobuf keeps as a
   * field of their own: a Volume's source, a Probe's handler, an Ingress rule's value...
   */
  private static final java.util.Set<String> INLINE = java.util.Set.of(
      "k8s.io.api.core.v1.Volume.volumeSource", "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
      "k8s.io.api.core.v1.Probe.handler", "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
      "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference", "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
      "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference", "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
      "k8s.io.api.core.v1.SecretEnvSource.localObjectReference", "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
      "k8s.io.api.core.v1.SecretProjection.localObjectReference", "k8s.io.api.networking.v1.IngressRule.ingressRuleValue",
      "k8s.io.api.admissionregistration.v1.NamedRuleWithOperations.ruleWithOperations",
      "k8s.io.api.admissionregistration.v1.RuleWithOperations.rule");

  private static ObjectNode object(Message m) {
    ObjectNode out = Json.object();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (INLINE.contains(f.getFullName()) && e.getValue() instanceof Message inline) {
        out.setAll(object(inline));
        continue;
      }
      JsonNode value = f.isMapField() ? map(f, (List<?>) e.getValue()) : f.isRepeated() ? list(f, (List<?>) e.getValue()) : value(f, e.getValue());
      if (value != null && !(isZero(value) && !f.getName().equals("replicas"))) {
        out.set(f.getName(), value);
      }
    }
    return out;
  }

  private static boolean isZero(JsonNode v) {
    return v.isTextual() && v.asText().isEmpty() || v.isBoolean() && !v.asBoolean() || v.isNumber() && v.asDouble() == 0;
  }

  private static JsonNode list(FieldDescriptor f, List<?> values) {
    ArrayNode arr = Json.array();
    for (Object v : values) {
      JsonNode n = value(f, v);
      arr.add(n == null ? Json.object() : n);
    }
    return arr;
  }

  private static JsonNode map(FieldDescriptor f, List<?> entries) {
    ObjectNode out = Json.object();
    FieldDescriptor keyField = f.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
    for (Object o : entries) {
      Message entry = (Message) o;
      JsonNode v = value(valueField, entry.getField(valueField));
      out.set(String.valueOf(entry.getField(keyField)), v == null ? Json.object() : v);
    }
    return out;
  }

  private static JsonNode value(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case STRING -> Json.MAPPER.getNodeFactory().textNode((String) v);
      case BOOLEAN -> Json.MAPPER.getNodeFactory().booleanNode((Boolean) v);
      case INT -> Json.MAPPER.getNodeFactory().numberNode((Integer) v);
      case LONG -> Json.MAPPER.getNodeFactory().numberNode((Long) v);
      case DOUBLE -> Json.MAPPER.getNodeFactory().numberNode((Double) v);
      case FLOAT -> Json.MAPPER.getNodeFactory().numberNode((Float) v);
      case BYTE_STRING -> Json.MAPPER.getNodeFactory().textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case ENUM -> Json.MAPPER.getNodeFactory().textNode(v.toString());
      case MESSAGE -> special((Message) v);
    };
  }

  /** apimachinery's messages that JSON writes as scalars or raw documents. */
  private static JsonNode special(Message m) {
    String name = m.getDescriptorForType().getFullName();
    switch (name) {
      case META + "Time", META + "MicroTime" -> {
        long seconds = (Long) field(m, "seconds");
        int nanos = (Integer) field(m, "nanos");
        if (seconds == 0 && nanos == 0) {
          return null; // Go's zero time, which its JSON writes as null
        }
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        String text = name.endsWith("MicroTime")
            ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(java.time.ZoneOffset.UTC).format(t)
            : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        return Json.MAPPER.getNodeFactory().textNode(text);
      }
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
        long type = ((Number) field(m, "type")).longValue();
        return type == 1 ? Json.MAPPER.getNodeFactory().textNode((String) field(m, "strVal"))
            : Json.MAPPER.getNodeFactory().numberNode((Integer) field(m, "intVal"));
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
        return Json.MAPPER.getNodeFactory().textNode((String) field(m, "string"));
      }
      case META + "Duration" -> {
        long total = (Long) field(m, "duration") / 1_000_000_000L;
        long hours = total / 3600;
        long minutes = total % 3600 / 60;
        String text = (hours > 0 ? hours + "h" : "") + (hours > 0 || minutes > 0 ? minutes + "m" : "") + total % 60 + "s";
        return Json.MAPPER.getNodeFactory().textNode(text); // Go's time.Duration.String(), to the second
      }
      case "k8s.io.apimachinery.pkg.runtime.RawExtension", META + "FieldsV1" -> {
        ByteString raw = (ByteString) field(m, name.endsWith("FieldsV1") ? "Raw" : "raw");
        if (raw.isEmpty()) {
          return null;
        }
        try {
          return Json.MAPPER.readTree(raw.toByteArray());
        } catch (IOException e) {
          throw ApiException.badRequest("a raw object in the protobuf body is not JSON: " + e.getMessage());
        }
      }
      default -> {
        return object(m);
      }
    }
  }

  private static Object field(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f == null ? null : m.getField(f);
  }

  private static ApiException unsupported(String why) {
    return new ApiException(415, "UnsupportedMediaType",
        why + "; use 'kubectl apply -f' with a YAML manifest instead");
  }
}
