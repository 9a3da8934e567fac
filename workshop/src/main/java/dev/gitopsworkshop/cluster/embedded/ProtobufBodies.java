package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * kubectl's typed commands ({@code create namespace}, {@code create secret}, {@code create
 * configmap}, {@code create serviceaccount}) send their object as Kubernetes protobuf and do not fall
 * back to JSON. This decodes those few kinds (the envelope {@code k8s\0} + runtime.Unknown, and the
 * fields of ObjectMeta they use) into JSON; any other kind is refused with 415 and a hint.
 */
final class ProtobufBodies {
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufBodies() {}

  static ObjectNode decode(byte[] body) {
    if (body.length < 4 || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2] || body[3] != MAGIC[3]) {
      throw unsupported("the body is not Kubernetes protobuf");
    }
    Reader unknown = new Reader(body, 4, body.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (unknown.more()) {
      int tag = unknown.varint32();
      switch (tag >>> 3) {
        case 1 -> {
          Reader typeMeta = unknown.message();
          while (typeMeta.more()) {
            int t = typeMeta.varint32();
            if ((t >>> 3) == 1) {
              apiVersion = typeMeta.string();
            } else if ((t >>> 3) == 2) {
              kind = typeMeta.string();
            } else {
              typeMeta.skip(t);
            }
          }
        }
        case 2 -> raw = unknown.bytes();
        default -> unknown.skip(tag);
      }
    }
    ObjectNode obj = Json.object();
    obj.put("apiVersion", apiVersion);
    obj.put("kind", kind);
    Reader r = new Reader(raw, 0, raw.length);
    switch (apiVersion + "/" + kind) {
      case "v1/Namespace", "v1/ServiceAccount" -> fields(r, obj, null, null);
      case "v1/Secret" -> fields(r, obj, "data", "type");
      case "v1/ConfigMap" -> fields(r, obj, "data", null);
      default -> throw unsupported("kubectl sent a " + kind + " as protobuf, which the embedded cluster does not read");
    }
    return obj;
  }

  /** metadata is field 1 in all four kinds; field 2 is a string map (ConfigMap) or bytes map (Secret); Secret's type is 3. */
  private static void fields(Reader r, ObjectNode obj, String mapField, String typeField) {
    boolean secret = "type".equals(typeField);
    while (r.more()) {
      int tag = r.varint32();
      int field = tag >>> 3;
      if (field == 1) {
        obj.set("metadata", meta(r.message()));
      } else if (field == 2 && mapField != null) {
        String[] kv = entry(r.message());
        String value = secret ? Base64.getEncoder().encodeToString(kv[1].getBytes(StandardCharsets.ISO_8859_1)) : kv[1];
        obj.with(mapField).put(kv[0], value);
      } else if (field == 3 && typeField != null) {
        obj.put(typeField, r.string());
      } else {
        r.skip(tag);
      }
    }
  }

  private static ObjectNode meta(Reader r) {
    ObjectNode meta = Json.object();
    List<String> finalizers = new ArrayList<>();
    while (r.more()) {
      int tag = r.varint32();
      switch (tag >>> 3) {
        case 1 -> meta.put("name", r.string());
        case 2 -> meta.put("generateName", r.string());
        case 3 -> meta.put("namespace", r.string());
        case 11 -> {
          String[] kv = entry(r.message());
          meta.with("labels").put(kv[0], kv[1]);
        }
        case 12 -> {
          String[] kv = entry(r.message());
          meta.with("annotations").put(kv[0], kv[1]);
        }
        case 14 -> finalizers.add(r.string());
        default -> r.skip(tag);
      }
    }
    if (!finalizers.isEmpty()) {
      var arr = meta.putArray("finalizers");
      finalizers.forEach(arr::add);
    }
    return meta;
  }

  /** A map entry: key 1, value 2 (value bytes kept as ISO-8859-1 so binary survives). */
  private static String[] entry(Reader r) {
    String key = "";
    String value = "";
    while (r.more()) {
      int tag = r.varint32();
      if ((tag >>> 3) == 1) {
        key = r.string();
      } else if ((tag >>> 3) == 2) {
        byte[] b = r.bytes();
        value = new String(b, StandardCharsets.ISO_8859_1);
        if (StandardCharsets.UTF_8.newEncoder().canEncode(new String(b, StandardCharsets.UTF_8))
            && isUtf8(b)) {
          value = new String(b, StandardCharsets.UTF_8);
        }
      } else {
        r.skip(tag);
      }
    }
    return new String[] {key, value};
  }

  private static boolean isUtf8(byte[] b) {
    return java.util.Arrays.equals(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), b);
  }

  private static ApiException unsupported(String why) {
    return new ApiException(415, "UnsupportedMediaType",
        why + "; use 'kubectl apply -f' with a YAML manifest instead");
  }

  /** Protobuf wire format, just what the decoder needs. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw ApiException.badRequest("truncated protobuf body");
        }
        byte b = buf[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw ApiException.badRequest("malformed protobuf varint");
    }

    int varint32() {
      return (int) varint();
    }

    byte[] bytes() {
      int len = varint32();
      if (len < 0 || pos + len > end) {
        throw ApiException.badRequest("truncated protobuf body");
      }
      byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + len);
      pos += len;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader message() {
      int len = varint32();
      if (len < 0 || pos + len > end) {
        throw ApiException.badRequest("truncated protobuf body");
      }
      Reader r = new Reader(buf, pos, pos + len);
      pos += len;
      return r;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> bytes();
        case 5 -> pos += 4;
        default -> throw ApiException.badRequest("unsupported protobuf wire type " + (tag & 7));
      }
    }
  }
}
