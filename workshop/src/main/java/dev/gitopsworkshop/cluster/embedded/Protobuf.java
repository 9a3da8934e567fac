package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the protobuf request bodies kubectl sends from its typed clients ({@code kubectl create
 * namespace|configmap|secret}) for the kinds whose schema is small enough to know here:
 * Namespace, ConfigMap and Secret. Any other kind in protobuf gets a 415 saying to use a manifest.
 *
 * <p>Format: the bytes {@code k8s\0}, then a {@code runtime.Unknown} (1: TypeMeta{1: apiVersion,
 * 2: kind}, 2: raw object), the raw object in the generated.proto field numbers of k8s.io/api.
 */
final class Protobuf {
  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private enum Kind { STRING, INT, BOOL, BYTES, TIME, MAP, BYTES_MAP, STRINGS, MESSAGE }

  private record Field(String name, Kind kind, Map<Integer, Field> message) {
    Field(String name, Kind kind) {
      this(name, kind, null);
    }
  }

  private static final Map<Integer, Field> OBJECT_META = Map.of(
      1, new Field("name", Kind.STRING),
      2, new Field("generateName", Kind.STRING),
      3, new Field("namespace", Kind.STRING),
      6, new Field("resourceVersion", Kind.STRING),
      11, new Field("labels", Kind.MAP),
      12, new Field("annotations", Kind.MAP),
      14, new Field("finalizers", Kind.STRINGS));

  private static final Map<String, Map<Integer, Field>> KINDS = Map.of(
      "ConfigMap", Map.of(
          1, new Field("metadata", Kind.MESSAGE, OBJECT_META),
          2, new Field("data", Kind.MAP),
          3, new Field("binaryData", Kind.BYTES_MAP),
          4, new Field("immutable", Kind.BOOL)),
      "Secret", Map.of(
          1, new Field("metadata", Kind.MESSAGE, OBJECT_META),
          2, new Field("data", Kind.BYTES_MAP),
          3, new Field("type", Kind.STRING),
          4, new Field("stringData", Kind.MAP),
          5, new Field("immutable", Kind.BOOL)),
      "Namespace", Map.of(
          1, new Field("metadata", Kind.MESSAGE, OBJECT_META),
          2, new Field("spec", Kind.MESSAGE, Map.of(1, new Field("finalizers", Kind.STRINGS)))));

  private Protobuf() {}

  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || !java.util.Arrays.equals(java.util.Arrays.copyOf(body, 4), MAGIC)) {
      throw ApiException.badRequest("the protobuf body does not start with the Kubernetes envelope");
    }
    Reader unknown = new Reader(body, 4, body.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (unknown.more()) {
      int tag = (int) unknown.varint();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        Reader meta = unknown.nested();
        while (meta.more()) {
          int t = (int) meta.varint();
          String s = (t & 7) == 2 ? meta.string() : skipAndEmpty(meta, t);
          if (t >>> 3 == 1) {
            apiVersion = s;
          } else if (t >>> 3 == 2) {
            kind = s;
          }
        }
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        raw = unknown.bytes();
      } else {
        unknown.skip(tag);
      }
    }
    Map<Integer, Field> schema = KINDS.get(kind);
    if (schema == null) {
      throw new ApiException(415, "UnsupportedMediaType", "the embedded cluster reads " + kind
          + " objects as JSON or YAML only, not protobuf: write the object in a manifest and use kubectl apply -f");
    }
    ObjectNode obj = message(new Reader(raw, 0, raw.length), schema);
    obj.put("apiVersion", apiVersion);
    obj.put("kind", kind);
    return obj;
  }

  private static String skipAndEmpty(Reader r, int tag) {
    r.skip(tag);
    return "";
  }

  private static ObjectNode message(Reader r, Map<Integer, Field> schema) {
    ObjectNode out = Json.object();
    while (r.more()) {
      int tag = (int) r.varint();
      Field f = schema.get(tag >>> 3);
      if (f == null) {
        r.skip(tag);
        continue;
      }
      switch (f.kind()) {
        case STRING -> {
          String v = r.string();
          if (!v.isEmpty()) {
            out.put(f.name(), v);
          }
        }
        case INT -> out.put(f.name(), r.varint());
        case BOOL -> out.put(f.name(), r.varint() != 0);
        case BYTES -> out.put(f.name(), Base64.getEncoder().encodeToString(r.bytes()));
        case STRINGS -> (out.has(f.name()) ? (ArrayNode) out.get(f.name()) : out.putArray(f.name())).add(r.string());
        case MESSAGE -> out.set(f.name(), message(r.nested(), f.message()));
        case TIME -> {
          Reader t = r.nested();
          long seconds = 0;
          while (t.more()) {
            int tt = (int) t.varint();
            if (tt >>> 3 == 1) {
              seconds = t.varint();
            } else {
              t.skip(tt);
            }
          }
          out.put(f.name(), Instant.ofEpochSecond(seconds).toString());
        }
        case MAP, BYTES_MAP -> {
          Reader entry = r.nested();
          String key = "";
          String value = "";
          while (entry.more()) {
            int et = (int) entry.varint();
            if (et >>> 3 == 1) {
              key = entry.string();
            } else if (et >>> 3 == 2) {
              byte[] v = entry.bytes();
              value = f.kind() == Kind.MAP ? new String(v, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(v);
            } else {
              entry.skip(et);
            }
          }
          (out.has(f.name()) ? (ObjectNode) out.get(f.name()) : out.putObject(f.name())).put(key, value);
        }
        default -> r.skip(tag);
      }
    }
    return out;
  }

  /** The protobuf wire format, read forward. */
  private static final class Reader {
    private final byte[] data;
    private int pos;
    private final int end;

    Reader(byte[] data, int pos, int end) {
      this.data = data;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw ApiException.badRequest("the protobuf body is truncated");
        }
        byte b = data[pos++];
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw ApiException.badRequest("the protobuf body has a malformed varint");
    }

    byte[] bytes() {
      int len = (int) varint();
      if (len < 0 || pos + len > end) {
        throw ApiException.badRequest("the protobuf body is truncated");
      }
      byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + len);
      pos += len;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader nested() {
      int len = (int) varint();
      if (len < 0 || pos + len > end) {
        throw ApiException.badRequest("the protobuf body is truncated");
      }
      Reader r = new Reader(data, pos, pos + len);
      pos += len;
      return r;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> bytes();
        case 5 -> pos += 4;
        default -> throw ApiException.badRequest("the protobuf body uses an unsupported wire type " + (tag & 7));
      }
    }
  }
}
